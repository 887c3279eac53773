package ai.treum.gitops.core.render;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.SourceLocation;
import java.util.List;

/**
 * Objects an environment declares through a renderer rather than as written: a kustomization or
 * a Helm chart. It carries every file the renderer may read, so a rendering is a function of it.
 */
public sealed interface RenderSource {

    /** The file that asked for the rendering, where its errors are reported. */
    SourceLocation declaredAt();

    /** Every file the renderer may read, paths relative to the repository root. */
    List<SourceFile> inputs();

    /**
     * {@code kustomize build} of a folder.
     *
     * @param root the folder holding kustomization.yaml
     */
    record Kustomization(String root, SourceLocation declaredAt, List<SourceFile> inputs) implements RenderSource {
    }

    /**
     * {@code helm template} of a chart in the repository.
     *
     * @param chart     the chart's folder (holding Chart.yaml)
     * @param values    values files, applied in order
     * @param release   the release name
     * @param namespace the release namespace, which objects without one are placed in
     */
    record Chart(String chart, List<String> values, String release, String namespace, SourceLocation declaredAt,
            List<SourceFile> inputs) implements RenderSource {
    }
}
