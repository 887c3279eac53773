package ai.treum.gitops.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One sync per environment at a time. A request that arrives while its environment syncs is not
 * queued one by one: all of them together earn a single follow-up sync when the current one ends.
 */
@ApplicationScoped
public class SyncGate {

    private enum State { RUNNING, RUNNING_WITH_FOLLOW_UP }

    private final Map<String, State> running = new HashMap<>();

    /** True when the caller may start the sync now; false when it was folded into a follow-up. */
    public synchronized boolean tryStart(String environment) {
        State state = running.get(environment);
        if (state == null) {
            running.put(environment, State.RUNNING);
            return true;
        }
        running.put(environment, State.RUNNING_WITH_FOLLOW_UP);
        return false;
    }

    /** The environments whose sync is running now. */
    public synchronized Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /** Ends the environment's sync; true when requests came meanwhile and one follow-up is owed. */
    public synchronized boolean finish(String environment) {
        return running.remove(environment) == State.RUNNING_WITH_FOLLOW_UP;
    }
}
