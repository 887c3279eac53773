package ai.treum.gitops.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import ai.treum.gitops.model.Revision;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last sync of every environment, as the daemon saw it since it started. */
@ApplicationScoped
public class EnvironmentStatuses {

    /** @param lastGood the newest revision that synced completely, or null */
    public record Status(SyncResult last, Instant finishedAt, Revision lastGood) {
    }

    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    public void record(SyncResult result, Instant at) {
        statuses.compute(result.environment(), (env, previous) -> new Status(result, at,
                result.outcome() == SyncResult.Outcome.SYNCED ? new Revision(result.revision())
                        : previous == null ? null : previous.lastGood()));
    }

    public Optional<Status> get(String environment) {
        return Optional.ofNullable(statuses.get(environment));
    }
}
