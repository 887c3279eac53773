package ai.treum.gitops.model;

/** A commit of the desired-state repository. */
public record Revision(String sha) {

    /** The abbreviated SHA people read in logs and events. */
    public String shortSha() {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    @Override
    public String toString() {
        return shortSha();
    }
}
