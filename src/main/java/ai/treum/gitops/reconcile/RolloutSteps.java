package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.diff.OwnedFieldsDiff;
import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.rollout.AnalysisRun;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.core.rollout.Progression;
import ai.treum.gitops.core.rollout.Progression.Advance;
import ai.treum.gitops.core.rollout.Progression.Decision;
import ai.treum.gitops.core.rollout.Progression.Done;
import ai.treum.gitops.core.rollout.Progression.Fail;
import ai.treum.gitops.core.rollout.Progression.Measure;
import ai.treum.gitops.core.rollout.Progression.Wait;
import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.core.rollout.RolloutState;
import ai.treum.gitops.core.rollout.Strategy;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.MetricsQuery;
import ai.treum.gitops.reconcile.HealthMonitor.EnvironmentHealth;
import ai.treum.gitops.reconcile.HealthMonitor.ObjectHealth;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Moves rollouts along after each health refresh. A workload past its progress deadline fails the
 * revision; once all are healthy, the analysis of the step runs (a measurement per interval), then
 * the rollout advances a step, or the revision becomes the healthy one; a failed analysis rolls it
 * back. Steps are marks beside the inventory; an analysis in progress starts over after a restart.
 */
@ApplicationScoped
public class RolloutSteps {

    /** Where an environment's rollout stands, for the status API. */
    public record Status(String revision, int step, int lastStep, List<String> workloads, String phase) {
    }

    /** An analysis, and the measurement under way, if any. */
    private record Run(String key, AnalysisRun run, CompletableFuture<Map<Check, QueryResult>> pending) {
    }

    private record HookRun(DesiredResource job, Hook.Run run) {
    }

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Logger LOG = Logger.getLogger(RolloutSteps.class);

    private final RolloutGuard guard;
    private final MetricsQuery prometheus;
    private final HookJobs hooks;
    private final ClusterReader reader;
    private final ManagedExecutor queries;
    private final Emitter<SyncRequested> requests;
    private final Notifications notifications;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    RolloutSteps(RolloutGuard guard, MetricsQuery prometheus, ClusterReader reader, ClusterApplier applier,
            ManagedExecutor queries, @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests,
            Notifications notifications) {
        this.queries = queries;
        this.notifications = notifications;
        this.guard = guard;
        this.prometheus = prometheus;
        this.hooks = new HookJobs(reader, applier);
        this.reader = reader;
        this.requests = requests;
    }

    /** The rollout under way in the environment, or its last analysis; empty when there is neither. */
    public Optional<Status> status(String env) {
        return Optional.ofNullable(statuses.get(env));
    }

    /**
     * @param revision the revision synced to the environment, and {@code rendered} its objects at
     *                 the current step, whose health {@code health} is
     */
    void observe(EnvironmentSpec environment, String revision, Rendered rendered, EnvironmentHealth health) {
        String env = environment.name();
        Map<String, String> marks = guard.marks(env);
        if (revision.equals(marks.get(RolloutGuard.ROLLED_BACK))) {
            statuses.remove(env);
            return; // rolled back: neither healthy again nor rolled back twice, until Git moves on
        }
        String healthy = marks.get(RolloutGuard.HEALTHY);
        List<ObjectHealth> workloads = health.objects().stream().filter(o -> WORKLOADS.contains(o.key().kind())).toList();
        List<ObjectHealth> degraded = workloads.stream().filter(o -> o.status() == HealthStatus.DEGRADED).toList();
        if (revision.equals(healthy) && !rendered.inProgress()) {
            statuses.remove(env);
            return;
        }
        // health read before the watch delivered what the sync applied would be the last revision's
        Optional<ResourceKey> behind = behind(env, rendered);
        if (behind.isPresent()) {
            report(env, revision, rendered, 0, "waiting for the cluster to show the applied spec of " + behind.get());
            return;
        }
        if (!degraded.isEmpty()) {
            if (healthy != null && !healthy.equals(revision)) {
                guard.fail(env, revision, degraded.stream().map(o -> o.key() + ": " + o.message())
                        .collect(Collectors.joining("; ")), degraded.stream().map(ObjectHealth::key).toList(),
                        environment.rollout().revertCommit());
                statuses.remove(env);
            }
            return;
        }
        if (!workloads.stream().allMatch(o -> o.status() == HealthStatus.HEALTHY)) {
            report(env, revision, rendered, 0, "waiting for the workloads to become healthy");
            return;
        }
        RolloutState state = RolloutState.of(marks);
        int step = state.stepOf(revision);
        Instant now = clock.instant();
        Instant since = revision.equals(state.target()) ? state.since() : now;
        String key = revision + "#" + step;
        Run current = run(env, key);
        Decision decision = Progression.decide(rendered, environment.rollout(), step, since, current.run(), now);
        Optional<Analysis> analysis = environment.rollout().analysis();
        // queries run beside the health refresh, so a slow or unreachable Prometheus never holds it up
        if (decision instanceof Measure && analysis.isPresent()) {
            if (current.pending() != null && current.pending().isDone()) {
                current = new Run(key, current.run().measure(current.pending().join(), now), null);
                runs.put(env, current);
                decision = Progression.decide(rendered, environment.rollout(), step, since, current.run(), now);
            } else if (current.pending() == null && current.run().due(analysis.get(), now)) {
                runs.put(env, new Run(key, current.run(), queries.supplyAsync(() -> measure(analysis.get(),
                        environment.namespace()))));
            }
        }
        String analysed = analysis.map(a -> runs.get(env)).map(r -> r.run().describe(analysis.get())).orElse("");
        if (decision instanceof Advance advance) {
            guard.mark(env, RolloutState.at(revision, advance.step(), now));
            LOG.infof("environment %s: revision %s rollout moves to step %d of %d %s", env, new Revision(revision).shortSha(),
                    advance.step(), rendered.lastStep(), analysed);
            report(env, revision, rendered, advance.step(), "moving to step " + advance.step());
            requests.send(new SyncRequested(env, Trigger.ROLLOUT));
        } else if (decision instanceof Done) {
            Optional<HookRun> hook = postSync(env, rendered);
            if (hook.isEmpty()) {
                finish(env, revision, rendered, state, analysis.isPresent());
            } else if (hook.get().run() instanceof Hook.Failed failed) {
                fail(environment, revision, healthy, "post-sync hook " + hook.get().job().key() + " failed: "
                        + failed.reason(), workloads, rendered, step);
            } else {
                report(env, revision, rendered, step, "post-sync hook " + hook.get().job().key() + ": "
                        + ((Hook.Running) hook.get().run()).detail());
            }
        } else if (decision instanceof Fail fail) {
            fail(environment, revision, healthy, fail.reason(), workloads, rendered, step);
        } else if (decision instanceof Wait wait) {
            report(env, revision, rendered, step, wait.why());
        } else {
            report(env, revision, rendered, step, analysed);
        }
    }

    private void fail(EnvironmentSpec environment, String revision, String healthy, String reason,
            List<ObjectHealth> workloads, Rendered rendered, int step) {
        String env = environment.name();
        if (healthy != null && !healthy.equals(revision)) {
            guard.fail(env, revision, reason, workloads.stream().map(ObjectHealth::key).toList(),
                    environment.rollout().revertCommit());
            statuses.remove(env);
        } else {
            report(env, revision, rendered, step, reason + "; no healthy revision to roll back to");
        }
    }

    /** Runs the post-sync hooks one after another: empty once all succeeded, else the first that has not. */
    private Optional<HookRun> postSync(String env, Rendered rendered) {
        for (DesiredResource job : rendered.postSync()) {
            Hook.Run run = hooks.poll(env, job);
            if (!(run instanceof Hook.Succeeded)) {
                return Optional.of(new HookRun(job, run));
            }
        }
        return Optional.empty();
    }

    /** @param analysed whether the revision passed a rollout analysis on its way, not health alone */
    private void finish(String env, String revision, Rendered rendered, RolloutState state, boolean analysed) {
        Map<String, String> colors = new HashMap<>(state.colors());
        rendered.progressive().stream().filter(p -> p.strategy() == Strategy.BLUE_GREEN)
                .forEach(p -> colors.put(p.workload(), state.color(p.workload()).equals("blue") ? "green" : "blue"));
        Map<String, String> values = new LinkedHashMap<>(RolloutState.finished(colors));
        if (!revision.equals(guard.marks(env).get(RolloutGuard.HEALTHY))) {
            values.put(RolloutGuard.HEALTHY_SINCE, clock.instant().toString());
            values.put(RolloutGuard.HEALTHY_ANALYSED, Boolean.toString(analysed));
        }
        values.put(RolloutGuard.HEALTHY, revision);
        guard.mark(env, values);
        statuses.remove(env);
        runs.remove(env);
        LOG.infof("environment %s: revision %s is healthy", env, new Revision(revision).shortSha());
        notifications.tell(env, Reason.HEALTHY, revision, "revision " + new Revision(revision).shortSha()
                + " is healthy: its workloads are ready and its rollout steps, analysis and post-sync hooks passed");
        if (rendered.inProgress()) {
            requests.send(new SyncRequested(env, Trigger.ROLLOUT)); // retires the old colour or the canary
        }
    }

    /** A workload whose live object does not yet show what was applied, if any. */
    private Optional<ResourceKey> behind(String env, Rendered rendered) {
        for (DesiredResource object : rendered.objects()) {
            if (WORKLOADS.contains(object.key().kind())) {
                DesiredResource applied = Ownership.stamp(object, env);
                ObjectNode live = reader.get(env, object.apiVersion(), object.key()).orElse(null);
                if (!new OwnedFieldsDiff(Ownership.fieldManager(env)).diff(object.key(), applied.body(), live).inSync()) {
                    return Optional.of(object.key());
                }
            }
        }
        return Optional.empty();
    }

    private Run run(String env, String key) {
        Run known = runs.get(env);
        if (known == null || !known.key().equals(key)) {
            known = new Run(key, AnalysisRun.start(), null);
            runs.put(env, known);
        }
        return known;
    }

    private Map<Check, QueryResult> measure(Analysis analysis, String namespace) {
        Map<Check, QueryResult> results = new LinkedHashMap<>();
        for (Check check : analysis.checks()) {
            results.put(check, prometheus.query(analysis.prometheus(), check.query().replace("${namespace}", namespace)));
        }
        return results;
    }

    private void report(String env, String revision, Rendered rendered, int step, String phase) {
        statuses.put(env, new Status(revision, step, rendered.lastStep(),
                rendered.progressive().stream().map(p -> p.workload() + " (" + p.strategy().value() + ")").toList(), phase));
    }
}
