package ai.treum.gitops.metrics;

import ai.treum.gitops.model.SyncResult;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What the meters read of the environments: snapshots of what the reconciler last saw, never its beans. */
public interface EnvironmentSnapshots {

    /**
     * One environment's last sync as the meters show it.
     *
     * @param lastSuccess when it last synced completely, or null
     * @param driftSince  when the drift still there was first seen, or null without drift
     * @param driftByKind the objects still differing from Git, counted by kind
     */
    record SyncSnapshot(String revision, SyncResult.Outcome outcome, Instant lastSuccess, Instant driftSince,
            Map<String, Integer> driftByKind) {
    }

    /** Every environment with a finished sync, by name. */
    Map<String, SyncSnapshot> syncs();

    /** One environment's, if it has finished a sync. */
    Optional<SyncSnapshot> sync(String environment);

    /** Each environment's AWS drift left after its last check, counted by kind. */
    Map<String, Map<String, Integer>> awsDrift();
}
