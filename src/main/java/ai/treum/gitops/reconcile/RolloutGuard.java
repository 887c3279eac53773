package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import ai.treum.gitops.port.InventoryStore;
import ai.treum.gitops.reconcile.HealthMonitor.EnvironmentHealth;
import ai.treum.gitops.reconcile.HealthMonitor.ObjectHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Rolls an environment back when a revision's rollout fails. After each health refresh: a synced
 * revision whose workloads are all healthy becomes the environment's healthy revision; one with a
 * degraded workload (a Deployment past its progress deadline) is marked rolled back, and a sync
 * asked for. While Git's head is that marked revision, syncs apply the healthy revision instead,
 * so auto-sync does not re-apply what failed; the next commit is synced as usual. Both marks live
 * beside the inventory in the cluster, and the healthy revision's objects come from Git, so a
 * restart loses nothing.
 */
@ApplicationScoped
public class RolloutGuard {

    static final String HEALTHY = "healthy-revision";
    static final String ROLLED_BACK = "rolled-back-revision";
    static final String REASON = "rolled-back-reason";
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Logger LOG = Logger.getLogger(RolloutGuard.class);

    private final InventoryStore inventory;
    private final EnvironmentStatuses statuses;
    private final EventRecorder events;
    private final GitopsMetrics metrics;
    private final Emitter<SyncRequested> requests;
    private final Map<String, Map<String, String>> marks = new ConcurrentHashMap<>();

    RolloutGuard(InventoryStore inventory, EnvironmentStatuses statuses, EventRecorder events, GitopsMetrics metrics,
            @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests) {
        this.inventory = inventory;
        this.statuses = statuses;
        this.events = events;
        this.metrics = metrics;
        this.requests = requests;
    }

    /** What a rollback of the environment left: the revision rolled back and why; empty when none. */
    public Map<String, String> marks(String environment) {
        return marks.computeIfAbsent(environment, inventory::marks);
    }

    /** The revision to apply instead of Git's head: the healthy one, while the head is the rolled-back one. */
    public Optional<Revision> replacement(String environment, Revision head) {
        Map<String, String> known = marks(environment);
        return head.sha().equals(known.get(ROLLED_BACK)) && known.get(HEALTHY) != null
                ? Optional.of(new Revision(known.get(HEALTHY))) : Optional.empty();
    }

    /**
     * Rolls back by hand: Git's head gives way to {@code to}, or to the healthy revision, until Git
     * moves on. The caller has checked that {@code to} is a revision of the repository.
     *
     * @return the revision that will be applied, or empty when there is none to roll back to
     */
    public Optional<Revision> rollBack(String env, Revision head, Optional<Revision> to) {
        String target = to.map(Revision::sha).orElse(marks(env).get(HEALTHY));
        if (target == null || target.equals(head.sha())) {
            return Optional.empty();
        }
        mark(env, Map.of(ROLLED_BACK, head.sha(), HEALTHY, target, REASON, "rolled back by hand"));
        metrics.rolledBack(env);
        LOG.warnf("environment %s: revision %s rolled back by hand to %s", env, head.shortSha(),
                new Revision(target).shortSha());
        requests.send(new SyncRequested(env, Trigger.ROLLBACK));
        return Optional.of(new Revision(target));
    }

    /** Called with every environment's health, after each refresh. */
    public void observe(Map<String, EnvironmentHealth> health) {
        health.forEach((env, h) -> statuses.get(env).ifPresent(status -> {
            if (status.last().outcome() == SyncResult.Outcome.SYNCED && !status.last().revision().isEmpty()) {
                observe(env, status.last().revision(), h);
            }
        }));
    }

    private void observe(String env, String revision, EnvironmentHealth health) {
        Map<String, String> known = marks(env);
        if (revision.equals(known.get(ROLLED_BACK))) {
            return; // rolled back: neither healthy again nor rolled back twice, until Git moves on
        }
        List<ObjectHealth> workloads = health.objects().stream().filter(o -> WORKLOADS.contains(o.key().kind())).toList();
        List<ObjectHealth> degraded = workloads.stream().filter(o -> o.status() == HealthStatus.DEGRADED).toList();
        if (degraded.isEmpty()) {
            if (!revision.equals(known.get(HEALTHY)) && workloads.stream().allMatch(o -> o.status() == HealthStatus.HEALTHY)) {
                mark(env, Map.of(HEALTHY, revision));
                LOG.infof("environment %s: revision %s is healthy", env, new Revision(revision).shortSha());
            }
            return;
        }
        String healthy = known.get(HEALTHY);
        if (healthy == null || healthy.equals(revision)) {
            return;
        }
        String reason = degraded.stream().map(o -> o.key() + ": " + o.message()).collect(Collectors.joining("; "));
        mark(env, Map.of(ROLLED_BACK, revision, REASON, reason));
        metrics.rolledBack(env);
        String message = "revision " + new Revision(revision).shortSha() + " rolled back to " + new Revision(healthy).shortSha()
                + ": " + reason;
        LOG.warnf("environment %s: %s", env, message);
        degraded.forEach(o -> events.record(new ObjectEvent(o.key(), true, "RolledBack", message)));
        requests.send(new SyncRequested(env, Trigger.ROLLBACK));
    }

    private void mark(String env, Map<String, String> values) {
        inventory.mark(env, values);
        marks.compute(env, (e, old) -> {
            Map<String, String> next = new ConcurrentHashMap<>(old == null ? Map.of() : old);
            next.putAll(values);
            return next;
        });
    }
}
