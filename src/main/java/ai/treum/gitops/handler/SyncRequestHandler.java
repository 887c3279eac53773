package ai.treum.gitops.handler;

import ai.treum.gitops.core.policy.PolicyCheck;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.core.sync.SyncDecision;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.DriftFound;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncPlan;
import ai.treum.gitops.model.SyncResult.Outcome;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.EnvironmentStatuses;
import ai.treum.gitops.reconcile.EnvironmentSync;
import ai.treum.gitops.reconcile.PolicyGate;
import ai.treum.gitops.reconcile.Promotions;
import ai.treum.gitops.reconcile.RevisionReader;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.Rollouts;
import ai.treum.gitops.reconcile.SyncGate;
import ai.treum.gitops.reconcile.Tracing;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * sync-requests → diffs | sync-results. Admits one sync per environment, reads the environment at
 * the current revision, checks it against the policies, renders it at its rollout's step and
 * plans it without writing: a revision that does not load or that a Deny policy refuses, or an
 * environment already in sync, ends here; anything to apply or prune goes to the apply handler as
 * a diff.
 */
@ApplicationScoped
public class SyncRequestHandler {

    private static final Logger LOG = Logger.getLogger(SyncRequestHandler.class);

    private final SyncGate gate;
    private final EnvironmentStatuses statuses;
    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final PolicyGate policies;
    private final RolloutGuard guard;
    private final Rollouts rollouts;
    private final Promotions promotions;
    private final EnvironmentSync sync;
    private final Emitter<DriftFound> diffs;
    private final Emitter<SyncFinished> results;
    private final ShardOwnership shards;
    private final Tracing tracing;

    SyncRequestHandler(SyncGate gate, EnvironmentStatuses statuses, DesiredStateWatcher watcher, RevisionReader revisions,
            PolicyGate policies, RolloutGuard guard, Rollouts rollouts, Promotions promotions, EnvironmentSync sync,
            @Channel(Channels.DIFFS) Emitter<DriftFound> diffs, @Channel(Channels.RESULTS) Emitter<SyncFinished> results,
            ShardOwnership shards, Tracing tracing) {
        this.gate = gate;
        this.tracing = tracing;
        this.shards = shards;
        this.statuses = statuses;
        this.watcher = watcher;
        this.revisions = revisions;
        this.policies = policies;
        this.guard = guard;
        this.rollouts = rollouts;
        this.promotions = promotions;
        this.sync = sync;
        this.diffs = diffs;
        this.results = results;
    }

    // unordered, as the apply handler: one environment's planning never waits for another's
    @Incoming(Channels.SYNC_REQUESTS)
    @Blocking(ordered = false)
    public void onRequest(SyncRequested request) {
        String env = request.environment();
        if (!gate.tryStart(request)) {
            LOG.debugf("sync of %s already running; %s request folded into one follow-up", env, request.trigger());
            return;
        }
        Instant started = Instant.now();
        boolean held = shards.holds(env);
        if (!held && request.trigger().external()) {
            shards.forward(env, request.trigger(), request.user());
        }
        try (Tracing.Step step = tracing.start("plan", request.traceParent()).of(env, request.trigger())) {
            plan(request, held, started, step);
        }
    }

    private void plan(SyncRequested request, boolean held, Instant started, Tracing.Step step) {
        String env = request.environment();
        try {
            Revision head = watcher.current().orElse(null);
            if (head == null) {
                finish(step, request, SyncResult.rejected(env, "", List.of("no revision fetched from Git yet")), started);
                return;
            }
            // a head that was rolled back stays so until Git moves: the healthy revision is applied instead
            Revision revision = guard.replacement(env, head).orElse(head);
            step.revision(revision.sha());
            var read = revisions.read(env, revision);
            if (!read.valid()) {
                finish(step, request, SyncResult.rejected(env, revision.sha(), read.errors()), started);
                return;
            }
            PolicyCheck policy = policies.check(head, revision, read);
            if (policy.rejected()) {
                finish(step, request, SyncResult.rejected(env, revision.sha(), policy.reasons()), started);
                return;
            }
            // a revision whose images its promotion source has not proven waits; the environment stays as it is
            Optional<String> waiting = promotions.waiting(read);
            if (waiting.isPresent()) {
                finish(step, request, SyncResult.rejected(env, revision.sha(), List.of(waiting.get())), started);
                return;
            }
            Rendered rendered = rollouts.render(env, revision, read);
            SyncPlan plan = sync.plan(read.environment(), rendered);
            if (plan.rejected()) {
                finish(step, request, SyncResult.rejected(env, revision.sha(), plan.errors()), started);
            } else if (plan.nothingToDo()) {
                finish(step, request, SyncResult.planned(env, revision.sha(), Outcome.SYNCED, List.of()), started);
            } else {
                // a replica that does not hold the environment's shard only plans: its status stays true
                boolean apply = held && SyncDecision.shouldApply(request.trigger().automatic(), read.environment().sync(), revision,
                        statuses.get(env).map(EnvironmentStatuses.Status::lastGood));
                diffs.send(new DriftFound(env, revision, request.trigger(), plan.drift(), plan.stale().size(), apply,
                        started, request.user(), step.traceParent()));
            }
        } catch (RuntimeException e) {
            step.failed(e);
            LOG.errorf(e, "sync of %s failed before applying", env);
            finish(step, request, SyncResult.failed(env, watcher.current().map(Revision::sha).orElse(""), e), started);
        }
    }

    private void finish(Tracing.Step step, SyncRequested request, SyncResult result, Instant started) {
        results.send(new SyncFinished(request.environment(), request.trigger(), result,
                Duration.between(started, Instant.now()), request.user(), step.traceParent()));
    }
}
