package ai.treum.gitops.event;

/**
 * Somebody or something asks for one environment to be synced. A hint: the handler recomputes everything.
 *
 * @param user who asked, as the API server authenticated them; empty for the daemon's own triggers
 */
public record SyncRequested(String environment, Trigger trigger, String user) {

    public SyncRequested(String environment, Trigger trigger) {
        this(environment, trigger, "");
    }
}
