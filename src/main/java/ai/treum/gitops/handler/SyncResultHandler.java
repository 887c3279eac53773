package ai.treum.gitops.handler;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.EnvironmentStatuses;
import ai.treum.gitops.reconcile.HealthMonitor;
import ai.treum.gitops.reconcile.History;
import ai.treum.gitops.reconcile.Notifications;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.SyncEvents;
import ai.treum.gitops.reconcile.SyncGate;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.reconcile.Tracing;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.annotations.Merge;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * sync-results → sync-requests (follow-ups). Records, logs, counts and reports (as Kubernetes
 * Events) how each sync ended, releases the environment, and asks for one follow-up sync when
 * requests arrived while it ran.
 */
@ApplicationScoped
public class SyncResultHandler {

    private static final Logger LOG = Logger.getLogger(SyncResultHandler.class);

    private final SyncGate gate;
    private final EnvironmentStatuses statuses;
    private final HealthMonitor health;
    private final GitopsMetrics metrics;
    private final EventRecorder events;
    private final int eventsPerSync;
    private final Emitter<SyncRequested> requests;
    private final ShardOwnership shards;
    private final DesiredStateWatcher watcher;
    private final RolloutGuard rollouts;
    private final Notifications notifications;
    private final History history;
    private final Tracing tracing;

    SyncResultHandler(SyncGate gate, EnvironmentStatuses statuses, HealthMonitor health, GitopsMetrics metrics,
            EventRecorder events, GitopsConfig config, @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests,
            ShardOwnership shards, DesiredStateWatcher watcher, RolloutGuard rollouts, Notifications notifications,
            History history, Tracing tracing) {
        this.gate = gate;
        this.tracing = tracing;
        this.history = history;
        this.notifications = notifications;
        this.rollouts = rollouts;
        this.watcher = watcher;
        this.shards = shards;
        this.statuses = statuses;
        this.health = health;
        this.metrics = metrics;
        this.events = events;
        this.eventsPerSync = config.eventsPerSync();
        this.requests = requests;
    }

    @Incoming(Channels.RESULTS)
    @Merge
    @Blocking
    public void onFinished(SyncFinished finished) {
        try (Tracing.Step step = tracing.start("record", finished.traceParent()).of(finished.environment(),
                finished.trigger()).revision(finished.result().revision())) {
            record(finished);
        }
    }

    private void record(SyncFinished finished) {
        if (!watcher.environments().contains(finished.environment())) {
            // it left Git while this sync ran: the daemon has forgotten it, and this must not bring it back
            LOG.infof("environment %s left Git during its sync; the result is not kept", finished.environment());
            gate.finish(finished.environment());
            return;
        }
        Instant now = Instant.now();
        var previous = statuses.record(finished, now);
        // only the holder of the environment's shard counts and reports its syncs; the others only plan
        boolean held = shards.holds(finished.environment());
        log(finished, held);
        if (held) {
            metrics.syncFinished(finished);
            history.synced(finished, now);
            if (finished.result().outcome() == SyncResult.Outcome.SYNCED) {
                rollouts.recordSynced(finished.environment(), new Revision(finished.result().revision()));
            }
            if (failedAnew(finished.result(), previous.map(EnvironmentStatuses.Status::last))) {
                SyncResult result = finished.result();
                notifications.tell(result.environment(), Reason.SYNC_FAILED, result.revision(), "sync failed ("
                        + finished.trigger().name().toLowerCase() + "): " + Notification.firstOf(result.errors()));
            }
        }
        health.refresh();
        if (held) {
            SyncEvents.of(finished, previous.map(EnvironmentStatuses.Status::currentDrift).orElse(List.of()),
                    eventsPerSync).forEach(e -> events.record(finished.environment(), e));
        }
        gate.finish(finished.environment()).ifPresent(requests::send);
    }

    /** A failure of a revision that did not fail last time: a retry of the same failure is not news. */
    private static boolean failedAnew(SyncResult result, Optional<SyncResult> before) {
        return result.outcome() == SyncResult.Outcome.FAILED && before.filter(b -> b.outcome() == SyncResult.Outcome.FAILED
                && b.revision().equals(result.revision())).isEmpty();
    }

    private static void log(SyncFinished finished, boolean held) {
        SyncResult result = finished.result();
        String revision = new Revision(result.revision()).shortSha();
        Map<ChangeEntry.Action, Integer> counts = new TreeMap<>();
        result.changes().forEach(c -> counts.merge(c.action(), 1, Integer::sum));
        String trigger = finished.trigger().name().toLowerCase()
                + (finished.user().isEmpty() ? "" : ", asked by " + finished.user());
        String summary = String.format("environment %s at %s (%s): %s in %d ms %s", result.environment(), revision,
                trigger, result.outcome(), finished.took().toMillis(), counts);
        switch (result.outcome()) {
            case SYNCED -> LOG.info(summary);
            case OUT_OF_SYNC -> LOG.log(held ? Logger.Level.WARN : Logger.Level.DEBUG, summary + (held
                    ? "; not applied (auto-sync or self-heal off)"
                    : "; not applied here: another replica holds the environment's shard") + "; drift: "
                    + result.driftLines());
            // Git's content refused (load errors, a Deny policy, a promotion that waits): the daemon did not fail
            case REJECTED -> LOG.warn(summary + "; " + String.join("; ", result.errors()));
            default -> LOG.error(summary + "; " + String.join("; ", result.errors()));
        }
        if (result.outcome() != SyncResult.Outcome.OUT_OF_SYNC) {
            result.driftLines().forEach(line -> LOG.infof("environment %s: drift %s", result.environment(), line));
        }
        for (ChangeEntry change : result.changes()) {
            if (change.action().wrote() || change.action().failed()) {
                LOG.infof("environment %s: %s", result.environment(), change);
            } else if (change.action() == ChangeEntry.Action.SKIPPED) {
                LOG.debugf("environment %s: %s", result.environment(), change);
            }
        }
        if (result.pruneBlocked() != null) {
            LOG.warnf("environment %s: prune blocked: %s", result.environment(), result.pruneBlocked());
        }
    }
}
