package ai.treum.gitops.core.render;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps each object kustomize built back to the file that declared it, from the origin annotation
 * kustomize adds on request ({@code buildMetadata: [originAnnotations]}), and removes the
 * annotation so it never reaches the cluster. The line is the declaring document's in that file.
 */
final class Origins {

    static final String ANNOTATION = "config.kubernetes.io/origin";

    private final String root;
    private final Map<String, SourceFile> files = new HashMap<>();
    private final Map<String, List<DesiredResource>> declared = new HashMap<>();

    /** @param root the folder kustomize built, which origin paths are relative to */
    Origins(String root, List<SourceFile> files) {
        this.root = root;
        files.forEach(f -> this.files.put(f.path(), f));
    }

    /** @param rendered an object just parsed from kustomize's output, whose body no one else holds yet */
    DesiredResource locate(DesiredResource rendered) {
        ObjectNode body = rendered.body();
        ObjectNode metadata = (ObjectNode) body.path("metadata");
        String origin = metadata.path("annotations").path(ANNOTATION).asText("");
        if (metadata.path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ANNOTATION);
            if (annotations.isEmpty()) {
                metadata.remove("annotations");
            }
        }
        String path = field(origin, "path:").or(() -> field(origin, "configuredIn:"))
                .map(p -> Paths.resolve(root, p)).filter(files::containsKey).orElse(null);
        SourceLocation source = path == null ? rendered.source() : new SourceLocation(path, line(path, rendered));
        return new DesiredResource(rendered.key(), rendered.apiVersion(), body, source);
    }

    /** The line of the document in {@code path} the object came from: same kind, and its name within the rendered one. */
    private int line(String path, DesiredResource rendered) {
        List<DesiredResource> documents = declared.computeIfAbsent(path, p -> {
            LoadResult loaded = ManifestLoader.load(List.of(files.get(p)), null);
            return loaded instanceof LoadResult.Loaded ok ? ok.resources() : List.of();
        });
        String kind = rendered.key().kind();
        String name = rendered.key().name();
        return documents.stream().filter(d -> d.key().kind().equals(kind) && d.key().name().equals(name)).findFirst()
                .or(() -> documents.stream().filter(d -> d.key().kind().equals(kind) && name.contains(d.key().name()))
                        .findFirst())
                .or(() -> documents.stream().filter(d -> d.key().kind().equals(kind)).findFirst())
                .map(d -> d.source().line()).orElse(1);
    }

    private static Optional<String> field(String origin, String name) {
        return origin.lines().map(String::strip).filter(l -> l.startsWith(name))
                .map(l -> l.substring(name.length()).strip()).filter(v -> !v.isEmpty()).findFirst();
    }
}
