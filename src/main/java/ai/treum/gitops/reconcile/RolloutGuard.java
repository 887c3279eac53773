package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.notify.Notification.Reason;
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
import java.time.Instant;
import java.util.ArrayList;
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

    public static final String HEALTHY = "healthy-revision";
    /** When the healthy revision became so, ISO-8601: how long it has proven its images. */
    public static final String HEALTHY_SINCE = "healthy-since";
    /** Whether the healthy revision passed a rollout analysis on its way ("true") or health alone. */
    public static final String HEALTHY_ANALYSED = "healthy-analysed";
    public static final String ROLLED_BACK = "rolled-back-revision";
    static final String REASON = "rolled-back-reason";
    static final String REVERT = "revert-commit";
    static final String SYNCED = "synced-revisions";
    /** How many synced revisions are remembered, newest first: those a rollback may name. */
    static final int SYNCED_KEPT = 30;
    private static final Logger LOG = Logger.getLogger(RolloutGuard.class);

    private final InventoryStore inventory;
    private final DesiredStateSource source;
    private final EventRecorder events;
    private final GitopsMetrics metrics;
    private final Emitter<SyncRequested> requests;
    private final Notifications notifications;
    private final History history;
    private final Map<String, Map<String, String>> marks = new ConcurrentHashMap<>();

    RolloutGuard(InventoryStore inventory, DesiredStateSource source, EventRecorder events, GitopsMetrics metrics,
            @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests, Notifications notifications,
            History history) {
        this.inventory = inventory;
        this.history = history;
        this.notifications = notifications;
        this.source = source;
        this.events = events;
        this.metrics = metrics;
        this.requests = requests;
    }

    /** What a rollback of the environment left: the revision rolled back and why; empty when none. */
    public Map<String, String> marks(String environment) {
        return marks.computeIfAbsent(environment, inventory::marks);
    }

    /**
     * Forgets the marks read so far: while another replica held the environment it wrote marks
     * this one never saw (a shard just taken over reads them again).
     */
    public void forget(String environment) {
        marks.remove(environment);
    }

    /** The revision to apply instead of Git's head: the healthy one, while the head is the rolled-back one. */
    public Optional<Revision> replacement(String environment, Revision head) {
        Map<String, String> known = marks(environment);
        return head.sha().equals(known.get(ROLLED_BACK)) && known.get(HEALTHY) != null
                ? Optional.of(new Revision(known.get(HEALTHY))) : Optional.empty();
    }

    /** The last healthy revision, the one a rollback goes back to when none is named. */
    public Optional<Revision> healthy(String environment) {
        return Optional.ofNullable(marks(environment).get(HEALTHY)).map(Revision::new);
    }

    /**
     * Whether the environment ever synced this revision completely: only such a revision may be
     * named in a rollback, so Git write access to an old branch cannot be replayed through one.
     */
    public boolean syncedBefore(String environment, Revision revision) {
        return synced(environment).contains(revision.sha())
                || healthy(environment).map(revision::equals).orElse(false);
    }

    /** Remembers a revision that synced completely (the newest {@value #SYNCED_KEPT}). */
    public void recordSynced(String environment, Revision revision) {
        List<String> known = synced(environment);
        if (!known.isEmpty() && known.get(0).equals(revision.sha())) {
            return;
        }
        List<String> next = new ArrayList<>();
        next.add(revision.sha());
        known.stream().filter(sha -> !sha.equals(revision.sha())).limit(SYNCED_KEPT - 1).forEach(next::add);
        mark(environment, Map.of(SYNCED, String.join(" ", next)));
    }

    /** The revision the environment synced completely last, if any. */
    public Optional<Revision> lastSynced(String environment) {
        return synced(environment).stream().findFirst().map(Revision::new);
    }

    private List<String> synced(String environment) {
        String list = marks(environment).getOrDefault(SYNCED, "");
        return list.isBlank() ? List.of() : List.of(list.trim().split(" "));
    }

    /**
     * Rolls back by hand: Git's head gives way to {@code target} until Git moves on. The caller has
     * checked that the environment synced {@code target} before and that today's policies allow it.
     *
     * @param user who asked, recorded with the reason and on the sync that follows
     * @return false when {@code target} is the head itself, so there is nothing to roll back
     */
    public boolean rollBack(String env, Revision head, Revision target, String user) {
        if (target.equals(head)) {
            return false;
        }
        // the older revision runs again from now on, with no analysis of this run
        mark(env, Map.of(ROLLED_BACK, head.sha(), HEALTHY, target.sha(), REASON, "rolled back by hand by " + user,
                REVERT, "", HEALTHY_SINCE, Instant.now().toString(), HEALTHY_ANALYSED, "false"));
        metrics.rolledBack(env);
        LOG.warnf("environment %s: revision %s rolled back by hand to %s, asked by %s", env, head.shortSha(),
                target.shortSha(), user);
        notifications.tell(env, Reason.ROLLED_BACK, head.sha(), "revision " + head.shortSha() + " rolled back to "
                + target.shortSha() + ": rolled back by hand by " + user);
        history.rolledBack(env, head, target, "rolled back by hand by " + user, user, Instant.now());
        requests.send(new SyncRequested(env, Trigger.ROLLBACK, user));
        return true;
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
        failed.forEach(key -> events.record(env, new ObjectEvent(key, true, "RolledBack", message)));
        notifications.tell(env, Reason.ROLLED_BACK, revision, message);
        history.rolledBack(env, new Revision(revision), new Revision(healthy), reason, "", Instant.now());
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
            failed.forEach(key -> events.record(env, new ObjectEvent(key, false, "RevertPushed", "commit " + pushed.shortSha()
                    + " restores revision " + new Revision(healthy).shortSha() + " in Git")));
        } catch (DesiredStateSource.SourceUnavailableException e) {
            LOG.warnf("environment %s: no revert commit: %s", env, e.getMessage());
        }
    }

    void mark(String env, Map<String, String> values) {
        inventory.mark(env, values);
        // marks not read yet are read now: the cache never holds only the newest ones, which would
        // look like an environment that never synced or was never healthy
        marks.compute(env, (e, old) -> {
            Map<String, String> next = new ConcurrentHashMap<>(old == null ? inventory.marks(env) : old);
            next.putAll(values);
            return next;
        });
    }
}
