package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.rollout.RolloutState;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import ai.treum.gitops.port.InventoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * The marks that make rollbacks stick: the environment's healthy revision, and the revision rolled
 * back from. While Git's head is the rolled-back revision, syncs apply the healthy one instead, so
 * auto-sync does not re-apply what failed; the next commit is synced as usual. The marks live
 * beside the inventory in the cluster, and the healthy revision's objects come from Git, so a
 * restart loses nothing. {@link RolloutSteps} decides when a revision is healthy or failed.
 */
@ApplicationScoped
public class RolloutGuard {

    static final String HEALTHY = "healthy-revision";
    static final String ROLLED_BACK = "rolled-back-revision";
    static final String REASON = "rolled-back-reason";
    static final String REVERT = "revert-commit";
    private static final Logger LOG = Logger.getLogger(RolloutGuard.class);

    private final InventoryStore inventory;
    private final DesiredStateSource source;
    private final EventRecorder events;
    private final GitopsMetrics metrics;
    private final Emitter<SyncRequested> requests;
    private final Map<String, Map<String, String>> marks = new ConcurrentHashMap<>();

    RolloutGuard(InventoryStore inventory, DesiredStateSource source, EventRecorder events, GitopsMetrics metrics,
            @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests) {
        this.inventory = inventory;
        this.source = source;
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
        mark(env, Map.of(ROLLED_BACK, head.sha(), HEALTHY, target, REASON, "rolled back by hand", REVERT, ""));
        metrics.rolledBack(env);
        LOG.warnf("environment %s: revision %s rolled back by hand to %s", env, head.shortSha(),
                new Revision(target).shortSha());
        requests.send(new SyncRequested(env, Trigger.ROLLBACK));
        return Optional.of(new Revision(target));
    }

    /**
     * Rolls a failed revision back to the healthy one: marks it so syncs apply the healthy
     * revision while Git's head is this one, records why on the objects that failed, and asks
     * for that sync.
     */
    void fail(String env, String revision, String reason, List<ResourceKey> failed, boolean revertCommit) {
        String healthy = marks(env).get(HEALTHY);
        Map<String, String> values = new HashMap<>(RolloutState.finished(RolloutState.of(marks(env)).colors()));
        values.put(ROLLED_BACK, revision);
        values.put(REASON, reason);
        values.put(REVERT, "");
        mark(env, values);
        metrics.rolledBack(env);
        String message = "revision " + new Revision(revision).shortSha() + " rolled back to " + new Revision(healthy).shortSha()
                + ": " + reason;
        LOG.warnf("environment %s: %s", env, message);
        failed.forEach(key -> events.record(new ObjectEvent(key, true, "RolledBack", message)));
        requests.send(new SyncRequested(env, Trigger.ROLLBACK));
        if (revertCommit) {
            revert(env, revision, healthy, reason, failed);
        }
    }

    /** Makes Git agree with the cluster again: a commit restoring the healthy revision's folder. */
    private void revert(String env, String revision, String healthy, String reason, List<ResourceKey> failed) {
        String message = "Roll back " + env + " to " + new Revision(healthy).shortSha() + "\n\nRevision " + revision
                + " was rolled back by treum-gitops: " + reason + "\n";
        try {
            Revision pushed = source.restore(env, new Revision(revision), new Revision(healthy), message);
            mark(env, Map.of(REVERT, pushed.sha()));
            LOG.infof("environment %s: pushed %s, which restores %s", env, pushed.shortSha(), new Revision(healthy).shortSha());
            failed.forEach(key -> events.record(new ObjectEvent(key, false, "RevertPushed", "commit " + pushed.shortSha()
                    + " restores revision " + new Revision(healthy).shortSha() + " in Git")));
        } catch (DesiredStateSource.SourceUnavailableException e) {
            LOG.warnf("environment %s: no revert commit: %s", env, e.getMessage());
        }
    }

    void mark(String env, Map<String, String> values) {
        inventory.mark(env, values);
        marks.compute(env, (e, old) -> {
            Map<String, String> next = new ConcurrentHashMap<>(old == null ? Map.of() : old);
            next.putAll(values);
            return next;
        });
    }
}
