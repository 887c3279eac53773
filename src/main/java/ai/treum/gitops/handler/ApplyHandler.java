package ai.treum.gitops.handler;

import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.DriftFound;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.reconcile.EnvironmentSync;
import ai.treum.gitops.reconcile.Notifications;
import ai.treum.gitops.reconcile.RevisionReader;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.Rollouts;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.model.SyncResult.Outcome;
import ai.treum.gitops.reconcile.Tracing;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * diffs → sync-results. Applies an environment's revision, rendered at its rollout's step. The
 * diff is only the reason to act: the revision is read again from Git and compared again with the
 * cluster, so a stale or repeated diff does no harm.
 */
@ApplicationScoped
public class ApplyHandler {

    private static final Logger LOG = Logger.getLogger(ApplyHandler.class);

    private final RevisionReader revisions;
    private final EnvironmentSync sync;
    private final Rollouts rollouts;
    private final Notifications notifications;
    private final RolloutGuard guard;
    private final Tracing tracing;

    ApplyHandler(RevisionReader revisions, EnvironmentSync sync, Rollouts rollouts, Notifications notifications,
            RolloutGuard guard, Tracing tracing) {
        this.tracing = tracing;
        this.revisions = revisions;
        this.notifications = notifications;
        this.guard = guard;
        this.sync = sync;
        this.rollouts = rollouts;
    }

    // unordered: environments apply side by side, so one waiting on a migration hook holds up no
    // other; SyncGate keeps each environment to one sync at a time
    @Incoming(Channels.DIFFS)
    @Outgoing(Channels.RESULTS)
    @Blocking(ordered = false)
    public SyncFinished onDrift(DriftFound drift) {
        try (Tracing.Step step = tracing.start("apply", drift.traceParent()).of(drift.environment(), drift.trigger())
                .revision(drift.revision().sha())) {
            return apply(drift, step);
        }
    }

    private SyncFinished apply(DriftFound drift, Tracing.Step step) {
        String env = drift.environment();
        SyncResult result;
        // whether this replica holds the shard was asked once, where the request entered; a shard that
        // moves while the sync runs has every later write refused by the cluster adapter
        if (!drift.apply()) {
            result = SyncResult.planned(env, drift.revision().sha(), Outcome.OUT_OF_SYNC, drift.drift());
        } else {
            try {
                var read = revisions.read(env, drift.revision());
                if (read.valid()) {
                    Rendered rendered = rollouts.render(env, drift.revision(), read);
                    // a revision already proven healthy (self-heal, a rollback to it) is not pending again
                    if (!guard.healthy(env).equals(Optional.of(drift.revision()))) {
                        notifications.tell(env, Reason.SYNC_STARTED, drift.revision().sha(), "applying "
                                + drift.drift().size() + " change(s) and " + drift.stale() + " deletion(s) ("
                                + drift.trigger().name().toLowerCase() + ")");
                    }
                    result = sync.sync(read.environment(), drift.revision().sha(), rendered);
                } else {
                    result = SyncResult.rejected(env, drift.revision().sha(), read.errors());
                }
            } catch (RuntimeException e) {
                step.failed(e);
                LOG.errorf(e, "applying %s at %s failed", env, drift.revision());
                result = SyncResult.failed(env, drift.revision().sha(), e);
            }
        }
        return new SyncFinished(env, drift.trigger(), result, Duration.between(drift.requestedAt(), Instant.now()),
                drift.user(), step.traceParent());
    }
}
