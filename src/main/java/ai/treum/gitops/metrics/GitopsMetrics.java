package ai.treum.gitops.metrics;

import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.policy.PolicyCheck;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.metrics.EnvironmentSnapshots.SyncSnapshot;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.AwsCallListener;
import ai.treum.gitops.port.ShardOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter the daemon exports, named here and nowhere else (prefix {@code treum_gitops_}).
 * Labels stay low-cardinality: environment, kind, result; a commit SHA appears only on the info gauge.
 */
@ApplicationScoped
public class GitopsMetrics implements AwsCallListener {

    static final String ENVIRONMENT_INFO = "treum_gitops_environment_info";
    static final String DRIFT_RESOURCES = "treum_gitops_drift_resources";
    static final String DRIFT_SECONDS = "treum_gitops_drift_seconds";
    static final String RECONCILE_DURATION = "treum_gitops_reconcile_duration";
    static final String SYNC = "treum_gitops_sync";
    static final String LAST_SUCCESSFUL_SYNC = "treum_gitops_last_successful_sync_timestamp_seconds";
    static final String WEBHOOK_REQUESTS = "treum_gitops_webhook_requests";
    static final String GIT_FETCHES = "treum_gitops_git_fetches";
    static final String POLICY_VIOLATIONS = "treum_gitops_policy_violations";
    static final String AWS_API_CALLS = "treum_gitops_aws_api_calls";
    static final String ROLLBACKS = "treum_gitops_rollbacks";
    static final String NOTIFICATIONS = "treum_gitops_notifications";
    static final String BACKUP_LAST_SUCCESS = "treum_gitops_backup_last_success_timestamp_seconds";
    static final String BACKUP_MAX_AGE = "treum_gitops_backup_max_age_seconds";
    static final String DRILL_LAST_SUCCESS = "treum_gitops_restore_drill_last_success_timestamp_seconds";
    static final String DRILL_MAX_INTERVAL = "treum_gitops_restore_drill_max_interval_seconds";
    static final String PROMOTION_PENDING = "treum_gitops_promotion_pending";

    private final MeterRegistry registry;
    private final EnvironmentSnapshots snapshots;
    private final MultiGauge info;
    private final MultiGauge drift;
    private final MultiGauge violations;
    private final MultiGauge backupLastSuccess;
    private final MultiGauge backupMaxAge;
    private final MultiGauge drillLastSuccess;
    private final MultiGauge drillMaxInterval;
    private final MultiGauge pending;
    private volatile Map<String, Integer> backupDrift = Map.of();
    private final Map<String, List<Meter>> perEnvironmentGauges = new ConcurrentHashMap<>();
    private final Map<String, Integer> promotionPending = new ConcurrentHashMap<>();

    private final ShardOwnership shards;

    /** @param shards only the environments this replica holds have series here, so sums across replicas hold */
    public GitopsMetrics(MeterRegistry registry, EnvironmentSnapshots snapshots, ShardOwnership shards) {
        this.registry = registry;
        this.shards = shards;
        this.snapshots = snapshots;
        this.info = MultiGauge.builder(ENVIRONMENT_INFO)
                .description("1 for each environment, labelled with its revision, sync status and health")
                .register(registry);
        this.drift = MultiGauge.builder(DRIFT_RESOURCES)
                .description("Objects that differ from Git, by environment, source and kind")
                .register(registry);
        this.violations = MultiGauge.builder(POLICY_VIOLATIONS)
                .description("Objects of the latest checked revision failing a policy, by environment, policy and action")
                .register(registry);
        this.backupLastSuccess = MultiGauge.builder(BACKUP_LAST_SUCCESS)
                .description("When the newest dump verified from outside (age, gzip, checksum) was taken, by environment and policy")
                .register(registry);
        this.backupMaxAge = MultiGauge.builder(BACKUP_MAX_AGE)
                .description("The oldest the newest dump may be, by environment and BackupPolicy")
                .register(registry);
        this.drillLastSuccess = MultiGauge.builder(DRILL_LAST_SUCCESS)
                .description("When the newest restore drill that passed ran, by environment and policy")
                .register(registry);
        this.drillMaxInterval = MultiGauge.builder(DRILL_MAX_INTERVAL)
                .description("The longest a passed drill may lie back before one was missed, by environment and policy")
                .register(registry);
        this.pending = MultiGauge.builder(PROMOTION_PENDING)
                .description("1 while the environment waits for its spec.promotion source to prove a revision's images")
                .register(registry);
    }

    /**
     * A row per BackupPolicy: its maximum age and its drill's interval, and when its last verified
     * dump was taken and its last drill passed (no row until there is one).
     *
     * @param policies environment → policy name → its figures
     */
    public synchronized void backups(Map<String, Map<String, BackupFigures>> policies) {
        List<MultiGauge.Row<?>> success = new ArrayList<>();
        List<MultiGauge.Row<?>> maxAge = new ArrayList<>();
        List<MultiGauge.Row<?>> drills = new ArrayList<>();
        List<MultiGauge.Row<?>> drillInterval = new ArrayList<>();
        policies.forEach((env, byPolicy) -> byPolicy.forEach((policy, figures) -> {
            Tags tags = Tags.of("environment", env, "policy", policy);
            maxAge.add(MultiGauge.Row.of(tags, figures.maxAge().toSeconds()));
            if (figures.lastSuccess() != null) {
                success.add(MultiGauge.Row.of(tags, figures.lastSuccess().getEpochSecond()));
            }
            if (figures.drillMaxInterval() != null) {
                drillInterval.add(MultiGauge.Row.of(tags, figures.drillMaxInterval().toSeconds()));
            }
            if (figures.lastDrill() != null) {
                drills.add(MultiGauge.Row.of(tags, figures.lastDrill().getEpochSecond()));
            }
        }));
        Map<String, Integer> drifted = new TreeMap<>();
        policies.forEach((env, byPolicy) -> drifted.put(env, (int) byPolicy.values().stream().filter(BackupFigures::drifted)
                .count()));
        backupDrift = drifted;
        backupLastSuccess.register(success, true);
        backupMaxAge.register(maxAge, true);
        drillLastSuccess.register(drills, true);
        drillMaxInterval.register(drillInterval, true);
    }

    /**
     * One BackupPolicy's figures: when its last verified dump was taken and its maximum age; when
     * its last passed drill ran and how far back one may lie (null without a drill); whether its
     * newest dump is missing, too old or broken, which is drift.
     */
    public record BackupFigures(Instant lastSuccess, Duration maxAge, Instant lastDrill, Duration drillMaxInterval,
            boolean drifted) {
    }

    /** One row per policy bound in each environment and action it carries, 0 when nothing fails it. */
    public synchronized void policyViolations(Map<String, PolicyCheck> checks) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        checks.forEach((env, check) -> {
            if (!shards.holds(env)) {
                return;
            }
            Map<String, Map<Action, Long>> counts = check.report().counts();
            check.bound().forEach((policy, actions) -> actions.forEach(action -> rows.add(MultiGauge.Row.of(
                    Tags.of("environment", env, "policy", policy, "action", action.name().toLowerCase(Locale.ROOT)),
                    counts.getOrDefault(policy, Map.of()).getOrDefault(action, 0L)))));
        });
        violations.register(rows, true);
    }

    /** Counts and times one finished sync. */
    public void syncFinished(SyncFinished finished) {
        String env = finished.environment();
        Counter.builder(SYNC).description("Syncs by environment and result")
                .tags("environment", env, "result", finished.result().outcome().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        Timer.builder(RECONCILE_DURATION).description("Time from a sync request to its result")
                .tags("environment", env).publishPercentileHistogram()
                .register(registry).record(finished.took());
        perEnvironmentGauges.computeIfAbsent(env, e -> List.of(
                Gauge.builder(DRIFT_SECONDS, snapshots, s -> driftSeconds(s, env))
                        .description("How long the environment's current drift has lasted; 0 without drift")
                        .tags("environment", env).register(registry),
                Gauge.builder(LAST_SUCCESSFUL_SYNC, snapshots, s -> s.sync(env).map(SyncSnapshot::lastSuccess)
                                .map(t -> t.toEpochMilli() / 1000.0).orElse(0.0))
                        .description("Unix time of the environment's last complete sync")
                        .tags("environment", env).register(registry)));
    }

    /** Counts one webhook request by how it ended. */
    public void webhook(String provider, String result) {
        Counter.builder(WEBHOOK_REQUESTS).description("Webhook requests by provider and result")
                .tags("provider", provider, "result", result).register(registry).increment();
    }

    /** Counts one fetch of the desired-state repository: success or error. */
    public void gitFetched(String result) {
        Counter.builder(GIT_FETCHES).description("Fetches of the desired-state repository by result")
                .tags("result", result).register(registry).increment();
    }

    /** Rewrites the info and drift series from the environments' snapshots and the latest health. */
    public synchronized void refresh(Map<String, HealthStatus> health) {
        // an environment whose shard went to another replica is that replica's to report now; one
        // that left Git (its status forgotten) has no series at all any more
        perEnvironmentGauges.entrySet().removeIf(gauges -> {
            String env = gauges.getKey();
            boolean removed = snapshots.sync(env).isEmpty();
            boolean gone = removed || !shards.holds(env);
            if (gone) {
                gauges.getValue().forEach(registry::remove);
            }
            if (removed) {
                for (String name : List.of(SYNC, RECONCILE_DURATION, ROLLBACKS)) {
                    registry.find(name).tag("environment", env).meters().forEach(registry::remove);
                }
            }
            return gone;
        });
        List<MultiGauge.Row<?>> infoRows = new ArrayList<>();
        List<MultiGauge.Row<?>> driftRows = new ArrayList<>();
        snapshots.syncs().forEach((env, sync) -> {
            if (!shards.holds(env)) {
                return;
            }
            infoRows.add(MultiGauge.Row.of(Tags.of("environment", env, "revision", sync.revision(),
                    "sync_status", sync.outcome().name().toLowerCase(Locale.ROOT),
                    "health_status", health.getOrDefault(env, HealthStatus.UNKNOWN).name().toLowerCase(Locale.ROOT)), 1));
            sync.driftByKind().forEach((kind, count) -> driftRows.add(MultiGauge.Row.of(
                    Tags.of("environment", env, "source", "kubernetes", "kind", kind), count)));
        });
        snapshots.awsDrift().forEach((env, byKind) -> byKind.forEach((kind, count) -> driftRows.add(MultiGauge.Row.of(
                Tags.of("environment", env, "source", "aws", "kind", kind), count))));
        backupDrift.forEach((env, count) -> {
            if (count > 0) {
                driftRows.add(MultiGauge.Row.of(Tags.of("environment", env, "source", "backup", "kind", "BackupPolicy"), count));
            }
        });
        info.register(infoRows, true);
        drift.register(driftRows, true);
    }

    /**
     * 1 while an environment with {@code spec.promotion} holds a revision back until its source
     * environment has proven the revision's images, 0 otherwise; only on the replica holding it.
     */
    public synchronized void promotionPending(String environment, boolean pending) {
        if (shards.holds(environment)) {
            promotionPending.put(environment, pending ? 1 : 0);
        } else {
            promotionPending.remove(environment);
        }
        // rows registered anew each time, so a series always reads this map, never one a meter kept before
        this.pending.register(promotionPending.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("environment",
                e.getKey()), e.getValue())).toList(), true);
    }

    /** Counts one automatic rollback of an environment. */
    public void rolledBack(String environment) {
        Counter.builder(ROLLBACKS).description("Automatic rollbacks to the last healthy revision, by environment")
                .tags("environment", environment).register(registry).increment();
    }

    /** Counts one notification delivery by how it ended: sent, or given up on (dead-lettered). */
    public void notification(String environment, String target, boolean sent) {
        Counter.builder(NOTIFICATIONS).description("Notification deliveries, by environment, target and result "
                + "(sent, or dead_letter once given up)")
                .tags("environment", environment, "target", target, "result", sent ? "sent" : "dead_letter")
                .register(registry).increment();
    }

    /** Counts one AWS API call (its retries included) by service, operation and how it ended. */
    @Override
    public void called(String service, String operation, String result) {
        Counter.builder(AWS_API_CALLS).description("AWS API calls by service, operation and result")
                .tags("service", service, "operation", operation, "result", result).register(registry).increment();
    }

    private static double driftSeconds(EnvironmentSnapshots snapshots, String env) {
        return snapshots.sync(env).map(SyncSnapshot::driftSince)
                .map(since -> Duration.between(since, Instant.now()).toMillis() / 1000.0).orElse(0.0);
    }

    /**
     * The words Argo CD users know, for the status API and page: Synced, OutOfSync, and the two
     * ways a sync can fail. Metric label values are lower snake case instead, as Prometheus' own.
     */
    public static String syncStatus(SyncResult.Outcome outcome) {
        return switch (outcome) {
            case SYNCED -> "Synced";
            case OUT_OF_SYNC -> "OutOfSync";
            case FAILED -> "Failed";
            case REJECTED -> "Rejected";
        };
    }
}
