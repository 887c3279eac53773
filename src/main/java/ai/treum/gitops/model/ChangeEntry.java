package ai.treum.gitops.model;


/** What one write did to one object; failures carry the API server's reason. */
public record ChangeEntry(ResourceKey key, Action action, String detail) {

    public enum Action {
        CREATED, CONFIGURED, UNCHANGED, DELETED, SKIPPED, CONFLICT, IMMUTABLE, INVALID, FAILED;

        /** Whether the cluster was changed. */
        public boolean wrote() {
            return this == CREATED || this == CONFIGURED || this == DELETED;
        }

        public boolean failed() {
            return this == CONFLICT || this == IMMUTABLE || this == INVALID || this == FAILED;
        }
    }

    public static ChangeEntry of(ResourceKey key, Action action) {
        return new ChangeEntry(key, action, "");
    }

    /** A write refused because another replica now holds the environment's shard. */
    public static ChangeEntry notHeld(ResourceKey key) {
        return new ChangeEntry(key, Action.FAILED, "not written: this replica no longer holds the environment's shard");
    }

    @Override
    public String toString() {
        return key + " " + action.name().toLowerCase() + (detail.isEmpty() ? "" : ": " + detail);
    }
}
