package ai.treum.gitops.core.load;

/** A file of the desired state: its path relative to the repository root, and its text. */
public record SourceFile(String path, String content) {
}
