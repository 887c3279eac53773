package ai.treum.gitops.core.load;

/**
 * A file of the desired state: its path relative to the repository root, and its text; or, for
 * a file that was not read, why ({@code refused}: a symlink, a submodule, a file too large), which
 * the loader turns into an error naming the file.
 */
public record SourceFile(String path, String content, Refusal refused) {

    /** Why a file was not read: the rule and what was found. */
    public record Refusal(String rule, String reason) {
    }

    public SourceFile(String path, String content) {
        this(path, content, null);
    }

    public static SourceFile refused(String path, String rule, String reason) {
        return new SourceFile(path, "", new Refusal(rule, reason));
    }

    /** Whether it is a YAML file, the only files manifests and policies are read from. */
    public boolean yaml() {
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }
}
