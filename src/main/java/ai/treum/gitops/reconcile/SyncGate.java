package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sync per environment at a time. Requests that arrive while their environment syncs are not
 * queued one by one: all of them together earn a single follow-up sync when the current one
 * ends. A request by hand among them is not diluted into an automatic follow-up: the follow-up is
 * that request, with its trigger and its user, so a manual environment still applies it.
 */
@ApplicationScoped
public class SyncGate {

    /** The follow-up owed, or null while none is. */
    private static final class Running {
        SyncRequested followUp;
    }

    private final Map<String, Running> running = new HashMap<>();

    /** True when the caller may start the sync now; false when it was folded into a follow-up. */
    public synchronized boolean tryStart(SyncRequested request) {
        Running state = running.get(request.environment());
        if (state == null) {
            running.put(request.environment(), new Running());
            return true;
        }
        if (!request.trigger().automatic()) {
            if (state.followUp == null || state.followUp.trigger().automatic()) {
                state.followUp = request;
            }
        } else if (state.followUp == null) {
            state.followUp = new SyncRequested(request.environment(), Trigger.FOLLOW_UP);
        }
        return false;
    }

    /** The environments whose sync is running now. */
    public synchronized Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /** Ends the environment's sync; the one follow-up owed when requests came meanwhile. */
    public synchronized Optional<SyncRequested> finish(String environment) {
        Running state = running.remove(environment);
        return state == null ? Optional.empty() : Optional.ofNullable(state.followUp);
    }
}
