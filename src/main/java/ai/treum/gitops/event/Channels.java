package ai.treum.gitops.event;

/** Names of the in-memory channels that carry events between the daemon's handlers. */
public final class Channels {

    /** {@link SyncRequested}: from the Git watcher, the interval timer, the API and follow-ups. */
    public static final String SYNC_REQUESTS = "sync-requests";
    /** {@link DriftFound}: the reconciler's read-only plan, for the apply handler. */
    public static final String DIFFS = "diffs";
    /** {@link SyncFinished}: what every sync ended with. */
    public static final String RESULTS = "sync-results";

    private Channels() {
    }
}
