package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.health.HealthChecks;
import ai.treum.gitops.core.health.HealthRules;
import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.core.health.ResourceHealth;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.ShardOwnership;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The health of every environment: each of its objects at the current revision, assessed from the
 * live cache, and the worst of them. Recomputed on a short interval, since health moves with
 * rollouts and controllers, not only with syncs.
 */
@ApplicationScoped
public class HealthMonitor {

    /** One object's health, by its name. */
    public record ObjectHealth(ResourceKey key, HealthStatus status, String message) {
    }

    /** An environment's health: the worst of its objects', and each object's. */
    public record EnvironmentHealth(HealthStatus status, List<ObjectHealth> objects) {
    }

    private static final Logger LOG = Logger.getLogger(HealthMonitor.class);

    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final ClusterReader reader;
    private final GitopsMetrics metrics;
    private final RolloutGuard guard;
    private final Rollouts rollouts;
    private final RolloutSteps steps;
    private final EnvironmentStatuses syncs;
    private volatile Map<String, EnvironmentHealth> health = Map.of();
    private final ShardOwnership shards;

    HealthMonitor(DesiredStateWatcher watcher, RevisionReader revisions, ClusterReader reader, GitopsMetrics metrics,
            RolloutGuard guard, Rollouts rollouts, RolloutSteps steps, EnvironmentStatuses syncs, ShardOwnership shards) {
        this.watcher = watcher;
        this.shards = shards;
        this.revisions = revisions;
        this.reader = reader;
        this.metrics = metrics;
        this.guard = guard;
        this.rollouts = rollouts;
        this.steps = steps;
        this.syncs = syncs;
    }

    public Map<String, EnvironmentHealth> all() {
        return health;
    }

    /** Each environment's health status alone. */
    public Map<String, HealthStatus> statuses() {
        Map<String, HealthStatus> statuses = new TreeMap<>();
        health.forEach((env, h) -> statuses.put(env, h.status()));
        return statuses;
    }

    /**
     * Recomputes the health of every environment this replica holds, of the revision syncs apply (Git's head, or the
     * healthy revision while the head is rolled back) as its rollout renders it; passes it to the
     * metrics, and moves rollouts of synced revisions along.
     */
    @Scheduled(every = "${treum-gitops.health-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        Revision head = watcher.current().orElse(null);
        if (head == null) {
            return;
        }
        Map<String, EnvironmentHealth> next = new TreeMap<>();
        // another replica's environments are its to assess: their objects are not watched here
        EachEnvironment.run(shards.held(watcher.environments()), "the health check", LOG, env -> {
            Revision revision = guard.replacement(env, head).orElse(head);
            EnvironmentRevision read = revisions.read(env, revision);
            if (!read.valid()) {
                next.put(env, assess(env, List.of(), HealthRules.NONE));
                return;
            }
            Rendered rendered = rollouts.render(env, revision, read);
            EnvironmentHealth assessed = assess(env, rendered.objects(), read.health());
            next.put(env, assessed);
            boolean synced = syncs.get(env).map(EnvironmentStatuses.Status::last)
                    .filter(last -> last.outcome() == SyncResult.Outcome.SYNCED && last.revision().equals(revision.sha()))
                    .isPresent();
            if (synced) {
                steps.observe(read.environment(), revision.sha(), rendered, assessed);
            }
        });
        health = next;
        metrics.refresh(statuses());
    }

    private EnvironmentHealth assess(String env, List<DesiredResource> objects, HealthRules rules) {
        List<ObjectHealth> each = new ArrayList<>();
        for (DesiredResource object : objects) {
            if (Ownership.annotated(object.body(), Ownership.OPTIONAL_ANNOTATION, "true")
                    && !reader.serves(env, object.apiVersion(), object.key().kind())) {
                continue;
            }
            ResourceHealth health = HealthChecks.assess(object.key(), reader.get(env, object.apiVersion(), object.key()), rules);
            each.add(new ObjectHealth(object.key(), health.status(), health.message()));
        }
        return new EnvironmentHealth(HealthStatus.worst(each.stream().map(ObjectHealth::status).toList()), each);
    }
}
