package ai.treum.gitops.api;

import ai.treum.gitops.core.aws.AwsCheck;
import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.core.policy.PolicyCheck;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.AlertRuleWatcher;
import ai.treum.gitops.reconcile.BackupWatcher;
import ai.treum.gitops.reconcile.EnvironmentStatuses.Status;
import ai.treum.gitops.reconcile.HealthMonitor.EnvironmentHealth;
import ai.treum.gitops.reconcile.RolloutSteps;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the status API says of an environment. Drift values are the redacted diff lines, never raw values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentView(String name, String revision, String lastGoodRevision, String syncStatus, String health,
        int driftCount, Instant driftSince, LastSync lastSync, List<DriftView> drift, List<ObjectHealthView> objects,
        List<PolicyResult> policies, AwsView aws, RollbackView rollback, RolloutView rollout, AlertsView alerts,
        List<BackupView> backups, ShardView shard) {

    /**
     * With several replicas: the environment's shard, the replica holding it (empty while nobody
     * does), and whether that is the replica answering, which otherwise only plans and observes.
     */
    public record ShardView(int shard, String holder, boolean heldHere) {
        static ShardView of(Optional<ShardOwnership.Holder> holder) {
            return holder.map(h -> new ShardView(h.shard(), h.identity(), h.self())).orElse(null);
        }
    }

    /**
     * A BackupPolicy's latest check from outside: the newest dump, when the last verified one was
     * taken, what is wrong with the newest (missing, stale, truncated, checksum), what retention
     * deleted, when the last passed restore drill ran, and why S3 could not be asked, if it could not.
     */
    public record BackupView(String policy, Instant checkedAt, String newest, Instant lastSuccess, List<String> problems,
            List<String> deleted, Instant lastDrill, String error) {
    }

    /**
     * The environment's alert rules: the revision last checked and why its rules were refused, if
     * they were; the revision whose rules are installed, where, the groups loaded, the groups that
     * did not load, and warnings (a PrometheusRule no Prometheus selects).
     */
    public record AlertsView(String revision, Instant checkedAt, List<String> errors, String installedRevision,
            String target, List<String> groups, List<String> problems, List<String> warnings) {
    }

    /**
     * The rollout under way: the revision, the step it stands at of the last, the blue-green and
     * canary workloads moving, and what it waits for (health, analysis, the old colour's delay).
     */
    public record RolloutView(String revision, int step, int lastStep, List<String> workloads, String phase) {
    }

    /**
     * The last rollback: the revision that failed (applied again only once Git moves on), why, the
     * healthy revision applied instead, and the commit pushed to restore it in Git, if any.
     */
    public record RollbackView(String revision, String reason, String healthyRevision, String revertCommit) {
    }

    /**
     * The latest reading of the environment's declared AWS resources.
     *
     * @param enforced whether allow-listed drift was put back in that check
     * @param drift    what still differs, one line each, naming resource, field, both values and any manual action
     * @param changes  the modify calls of that check
     */
    public record AwsView(String revision, boolean enforced, Instant checkedAt, List<String> drift, List<String> changes,
            String error) {
    }

    /** How the last sync ended; {@code user} is who asked for it, absent when the daemon started it itself. */
    public record LastSync(String result, String trigger, String user, Instant finishedAt, long durationMs, List<String> errors,
            List<ChangeView> changes, String pruneBlocked, Instant lastSuccessAt) {
    }

    public record ChangeView(String object, String action, String detail) {
    }

    public record DriftView(String object, List<String> differences) {
    }

    public record ObjectHealthView(String object, String health, String message) {
    }

    /** An object of the latest checked revision that fails a policy, under one of its binding's actions. */
    public record PolicyResult(String policy, String binding, String action, String object, String source,
            String revision, String message) {
    }

    /** The short form, for the list. */
    static EnvironmentView summary(String name, Status status, EnvironmentHealth health, ShardView shard) {
        return new EnvironmentView(name, revision(status), lastGood(status), syncStatus(status), health(health),
                status == null ? 0 : status.currentDrift().size(), status == null ? null : status.driftSince(),
                status == null ? null : lastSync(status, false), null, null, null, null, null, null, null, null, shard);
    }

    /** Everything, for one environment. */
    static EnvironmentView detail(String name, Status status, EnvironmentHealth health, PolicyCheck policy,
            AwsCheck aws, Map<String, String> rollout, RolloutSteps.Status steps, AlertRuleWatcher.Status alerts,
            Map<String, BackupWatcher.Status> backups, ShardView shard) {
        List<DriftView> drift = status == null ? List.of() : status.currentDrift().stream().map(EnvironmentView::drift).toList();
        List<ObjectHealthView> objects = health == null ? List.of() : health.objects().stream()
                .map(o -> new ObjectHealthView(o.key().toString(), o.status().name(), o.message())).toList();
        return new EnvironmentView(name, revision(status), lastGood(status), syncStatus(status), health(health),
                drift.size(), status == null ? null : status.driftSince(),
                status == null ? null : lastSync(status, true), drift, objects, policies(policy), aws(aws),
                rollout.containsKey("rolled-back-revision") ? new RollbackView(rollout.get("rolled-back-revision"),
                        rollout.get("rolled-back-reason"), rollout.get("healthy-revision"),
                        rollout.getOrDefault("revert-commit", "").isEmpty() ? null : rollout.get("revert-commit"))
                        : null,
                steps == null ? null : new RolloutView(steps.revision(), steps.step(), steps.lastStep(), steps.workloads(),
                        steps.phase()), alerts(alerts), backups.values().stream().map(b -> new BackupView(b.policy(),
                        b.checkedAt(), b.newest(), b.lastSuccess(), b.problems(), b.deleted(), b.lastDrill(), b.error())).toList(),
                shard);
    }

    private static LastSync lastSync(Status status, boolean withChanges) {
        List<ChangeView> changes = withChanges ? status.last().changes().stream()
                .filter(c -> c.action() != ChangeEntry.Action.UNCHANGED)
                .map(c -> new ChangeView(c.key().toString(), c.action().name().toLowerCase(), c.detail())).toList() : null;
        return new LastSync(GitopsMetrics.syncStatus(status.last().outcome()), status.trigger().name().toLowerCase(),
                status.user().isEmpty() ? null : status.user(),
                status.finishedAt(), status.took().toMillis(), status.last().errors(), changes,
                status.last().pruneBlocked(), status.lastSuccess());
    }

    private static AlertsView alerts(AlertRuleWatcher.Status status) {
        if (status == null) {
            return null;
        }
        var installed = status.installed();
        return new AlertsView(status.revision(), status.checkedAt(), status.errors(), status.installedRevision(),
                installed == null ? null : installed.target(), installed == null ? List.of() : installed.loaded(),
                installed == null ? List.of() : installed.problems(), installed == null ? List.of() : installed.warnings());
    }

    private static AwsView aws(AwsCheck check) {
        return check == null ? null : new AwsView(check.revision(), check.enforced(), check.checkedAt(),
                check.remaining().stream().map(Object::toString).toList(),
                check.changes().stream().map(Object::toString).toList(), check.error());
    }

    private static List<PolicyResult> policies(PolicyCheck check) {
        return check == null ? List.of() : check.findings().stream().map(f -> new PolicyResult(f.policy(), f.binding(),
                f.action().text(), f.key().toString(), f.source().toString(), check.revision(), f.message())).toList();
    }

    private static DriftView drift(ObjectDrift drift) {
        return new DriftView(drift.key().toString(), drift.lines());
    }

    private static String revision(Status status) {
        return status == null || status.last().revision().isEmpty() ? null : status.last().revision();
    }

    private static String lastGood(Status status) {
        return status == null || status.lastGood() == null ? null : status.lastGood().sha();
    }

    private static String syncStatus(Status status) {
        return status == null ? "Unknown" : GitopsMetrics.syncStatus(status.last().outcome());
    }

    private static String health(EnvironmentHealth health) {
        return (health == null ? HealthStatus.UNKNOWN : health.status()).name();
    }
}
