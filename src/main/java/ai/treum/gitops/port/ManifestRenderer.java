package ai.treum.gitops.port;

import ai.treum.gitops.core.render.RenderSource;
import ai.treum.gitops.core.render.Rendering;

/** Renders kustomizations and Helm charts of the desired state into plain objects. */
public interface ManifestRenderer {

    Rendering render(RenderSource source);
}
