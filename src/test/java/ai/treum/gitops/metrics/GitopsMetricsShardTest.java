package ai.treum.gitops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.AwsStatuses;
import ai.treum.gitops.reconcile.EnvironmentStatuses;
import ai.treum.gitops.reconcile.MeterSnapshots;
import ai.treum.gitops.model.SyncResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * With several replicas, an environment's series come from the replica holding its shard only, so
 * sums hold; and an environment that leaves Git leaves no series behind.
 */
class GitopsMetricsShardTest {

    /** Holds what the test says it holds. */
    private static final class Held implements ShardOwnership {
        final Set<String> environments = ConcurrentHashMap.newKeySet();

        @Override
        public boolean holds(String environment) {
            return environments.contains(environment);
        }

        @Override
        public Optional<Holder> holder(String environment) {
            return Optional.of(new Holder(0, holds(environment) ? "replica-a" : "replica-b", holds(environment)));
        }

        @Override
        public void forward(String environment, Trigger trigger, String user) {
        }

        @Override
        public void start(Listener listener) {
        }
    }

    @Test
    void anEnvironmentsSeriesLeaveWithItsShard() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EnvironmentStatuses statuses = new EnvironmentStatuses();
        Held held = new Held();
        GitopsMetrics metrics = new GitopsMetrics(registry, new MeterSnapshots(statuses, new AwsStatuses()), held);
        SyncFinished synced = new SyncFinished("staging", Trigger.GIT,
                SyncResult.planned("staging", "a".repeat(40), SyncResult.Outcome.SYNCED, List.of()), Duration.ofMillis(40));
        statuses.record(synced, Instant.now());

        held.environments.add("staging");
        metrics.syncFinished(synced);
        metrics.refresh(Map.of());
        assertThat(registry.find(GitopsMetrics.LAST_SUCCESSFUL_SYNC).tag("environment", "staging").gauge()).isNotNull();
        assertThat(registry.find(GitopsMetrics.DRIFT_SECONDS).tag("environment", "staging").gauge()).isNotNull();
        assertThat(registry.find(GitopsMetrics.ENVIRONMENT_INFO).tag("environment", "staging").gauge()).isNotNull();

        held.environments.clear();
        metrics.refresh(Map.of());
        assertThat(registry.find(GitopsMetrics.LAST_SUCCESSFUL_SYNC).tag("environment", "staging").gauge()).isNull();
        assertThat(registry.find(GitopsMetrics.DRIFT_SECONDS).tag("environment", "staging").gauge()).isNull();
        assertThat(registry.find(GitopsMetrics.ENVIRONMENT_INFO).tag("environment", "staging").gauge()).isNull();

        held.environments.add("staging");
        metrics.syncFinished(synced);
        assertThat(registry.find(GitopsMetrics.LAST_SUCCESSFUL_SYNC).tag("environment", "staging").gauge()).isNotNull();
    }

    @Test
    void anEnvironmentThatLeftGitLeavesNoSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EnvironmentStatuses statuses = new EnvironmentStatuses();
        Held held = new Held();
        held.environments.addAll(Set.of("staging", "production"));
        GitopsMetrics metrics = new GitopsMetrics(registry, new MeterSnapshots(statuses, new AwsStatuses()), held);
        for (String env : List.of("staging", "production")) {
            SyncFinished synced = new SyncFinished(env, Trigger.GIT,
                    SyncResult.planned(env, "a".repeat(40), SyncResult.Outcome.SYNCED, List.of()), Duration.ofMillis(40));
            statuses.record(synced, Instant.now());
            metrics.syncFinished(synced);
        }
        metrics.refresh(Map.of());

        statuses.retain(Set.of("production"));
        metrics.refresh(Map.of());

        assertThat(registry.getMeters()).filteredOn(m -> "staging".equals(m.getId().getTag("environment")))
                .withFailMessage("no series of staging may stay: %s", registry.getMeters().stream()
                        .filter(m -> "staging".equals(m.getId().getTag("environment"))).map(m -> m.getId().getName()).toList())
                .isEmpty();
        assertThat(registry.find(GitopsMetrics.SYNC).tag("environment", "production").counter()).isNotNull();
        assertThat(registry.find(GitopsMetrics.ENVIRONMENT_INFO).tag("environment", "production").gauge()).isNotNull();
    }
}
