package ai.treum.gitops.core.load;

/** A file of the desired state: its path relative to the repository root, and its text. */
public record SourceFile(String path, String content) {

    /** Whether it is a YAML file, the only files manifests and policies are read from. */
    public boolean yaml() {
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }
}
