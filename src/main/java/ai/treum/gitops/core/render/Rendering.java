package ai.treum.gitops.core.render;

/**
 * What a renderer made of a {@link RenderSource}: the objects as multi-document YAML, or why it
 * could not (the renderer's own message, with no path outside the repository).
 */
public record Rendering(String manifests, String error) {

    public static Rendering of(String manifests) {
        return new Rendering(manifests, null);
    }

    public static Rendering failed(String error) {
        return new Rendering(null, error);
    }

    public boolean failed() {
        return error != null;
    }
}
