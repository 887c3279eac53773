package ai.treum.gitops.model;

/** Where in the repository something was declared: a path relative to the repository root, and a line. */
public record SourceLocation(String file, int line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
