package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The last sync of every environment, as the daemon saw it since it started. */
@ApplicationScoped
public class EnvironmentStatuses implements PerEnvironmentState {

    /**
     * @param user       who asked for the last sync; empty when the daemon started it itself
     * @param lastGood   the newest revision that synced completely, or null
     * @param driftSince when the drift that is still there was first seen, or null when there is none
     */
    public record Status(SyncResult last, Instant finishedAt, Trigger trigger, String user, Duration took, Revision lastGood,
            Instant driftSince, Instant lastSuccess) {

        /** The drift that is still in the cluster: what the last sync found and could not or would not apply. */
        public List<ObjectDrift> currentDrift() {
            return last.outcome() == SyncResult.Outcome.OUT_OF_SYNC || last.outcome() == SyncResult.Outcome.FAILED
                    ? last.drift() : List.of();
        }
    }

    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    /** Records a finished sync and returns the environment's status before it. */
    public Optional<Status> record(SyncFinished finished, Instant at) {
        SyncResult result = finished.result();
        Status previous = statuses.get(result.environment());
        boolean synced = result.outcome() == SyncResult.Outcome.SYNCED;
        Revision lastGood = synced ? new Revision(result.revision()) : previous == null ? null : previous.lastGood();
        Instant lastSuccess = synced ? at : previous == null ? null : previous.lastSuccess();
        Status next = new Status(result, at, finished.trigger(), finished.user(), finished.took(), lastGood, null,
                lastSuccess);
        Instant driftSince = next.currentDrift().isEmpty() ? null
                : previous != null && previous.driftSince() != null ? previous.driftSince() : at;
        statuses.put(result.environment(), new Status(result, at, finished.trigger(), finished.user(), finished.took(), lastGood,
                driftSince, lastSuccess));
        return Optional.ofNullable(previous);
    }

    public Optional<Status> get(String environment) {
        return Optional.ofNullable(statuses.get(environment));
    }

    public Map<String, Status> all() {
        return new TreeMap<>(statuses);
    }

    @Override
    public void retain(Set<String> environments) {
        statuses.keySet().retainAll(environments);
    }
}
