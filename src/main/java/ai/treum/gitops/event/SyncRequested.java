package ai.treum.gitops.event;

/** Somebody or something asks for one environment to be synced. A hint: the handler recomputes everything. */
public record SyncRequested(String environment, Trigger trigger) {
}
