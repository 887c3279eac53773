package ai.treum.gitops.event;

/**
 * Somebody or something asks for one environment to be synced. A hint: the handler recomputes everything.
 *
 * @param user        who asked, as the API server authenticated them; empty for the daemon's own triggers
 * @param traceParent the span that asked ({@link TraceParent}); empty when there is none
 */
public record SyncRequested(String environment, Trigger trigger, String user, String traceParent) {

    /** A request from the span current on this thread. */
    public SyncRequested(String environment, Trigger trigger, String user) {
        this(environment, trigger, user, TraceParent.current());
    }

    /** A request of the daemon's own, from the span current on this thread. */
    public SyncRequested(String environment, Trigger trigger) {
        this(environment, trigger, "");
    }
}
