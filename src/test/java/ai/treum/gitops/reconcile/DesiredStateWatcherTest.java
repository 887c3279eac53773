package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.aws.AwsCheck;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.ShardOwnership;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * The watcher's decisions with a stand-in repository and clock: the Git adapter itself is tested
 * against a real Git host in GitRepositoryTest; here the point is when to fetch and what to ask.
 */
class DesiredStateWatcherTest {

    private final MutableClock clock = new MutableClock();
    private final ScriptedSource source = new ScriptedSource();
    private final RecordingEmitter requests = new RecordingEmitter();
    private final EnvironmentStatuses statuses = new EnvironmentStatuses();
    private final AwsStatuses awsStatuses = new AwsStatuses();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DesiredStateWatcher watcher = new DesiredStateWatcher(source, Duration.ofSeconds(60),
            Duration.ofMinutes(5), statuses, requests, List.of(statuses, awsStatuses), clock,
            new GitopsMetrics(registry, new MeterSnapshots(statuses, awsStatuses), ShardOwnership.single()), Tracing.off());

    @Test
    void aFloodOfPushesCostsOneFetchAtATimeOffTheCallersThreadThenSyncsWhatTheyNamed() throws Exception {
        source.head = new Revision("a".repeat(40));
        watcher.tick();
        requests.sent.clear();
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        source.whileFetching = () -> {
            fetching.countDown();
            release.await();
        };

        watcher.fetchSoon(Set.of("staging"));
        assertThat(fetching.await(10, TimeUnit.SECONDS)).as("the fetcher's thread fetches, not the caller's").isTrue();
        for (int i = 0; i < 10_000; i++) {
            watcher.fetchSoon(Set.of("production", "qa-" + i));
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> requests.sent.contains(new SyncRequested("production",
                Trigger.WEBHOOK)));
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.counter("treum_gitops_git_fetches",
                "result", "success").count() == 3);
        assertThat(source.fetches).withFailMessage("10,001 pushes: the first start-up fetch, one running when they"
                + " came, one shared by all the rest; was %d", source.fetches).isEqualTo(3);
        assertThat(requests.sent).as("environments unknown at the current revision are not remembered")
                .containsOnly(new SyncRequested("staging", Trigger.WEBHOOK), new SyncRequested("production", Trigger.WEBHOOK));
    }

    @Test
    void firstRevisionSyncsEveryEnvironmentAndANewCommitOnlyTheOnesItTouched() {
        source.head = new Revision("a".repeat(40));
        watcher.tick();
        assertThat(requests.sent).containsExactly(new SyncRequested("production", Trigger.STARTUP),
                new SyncRequested("staging", Trigger.STARTUP));

        requests.sent.clear();
        source.head = new Revision("b".repeat(40));
        source.changed = Set.of("staging");
        clock.advance(Duration.ofSeconds(30));
        watcher.tick();
        assertThat(requests.sent).withFailMessage("no fetch before the poll interval has passed").isEmpty();

        clock.advance(Duration.ofSeconds(30));
        watcher.tick();
        assertThat(requests.sent).containsExactly(new SyncRequested("staging", Trigger.GIT));
        assertThat(watcher.current()).contains(source.head);
    }

    @Test
    void anUnreachableRepositoryKeepsTheLastRevisionAndRetriesWithGrowingWaits() {
        source.head = new Revision("a".repeat(40));
        watcher.tick();
        source.failing = true;

        clock.advance(Duration.ofSeconds(60));
        List<Instant> attempts = new ArrayList<>();
        while (attempts.size() < 5) {
            int before = source.fetches;
            watcher.tick();
            if (source.fetches > before) {
                attempts.add(clock.instant());
            }
            clock.advance(Duration.ofSeconds(1));
        }
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            waits.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toSeconds());
        }

        assertThat(watcher.current()).contains(new Revision("a".repeat(40)));
        assertThat(watcher.check().up()).isFalse();
        assertThat(watcher.check().detail()).contains("keeping aaaaaaaaaaaa").contains("retry in");
        assertThat(waits).withFailMessage("waits %s must double from 5 s (plus up to 20 %% jitter)", waits)
                .satisfies(w -> {
                    assertThat(w.get(0)).isBetween(5L, 7L);
                    assertThat(w.get(1)).isBetween(10L, 13L);
                    assertThat(w.get(2)).isBetween(20L, 25L);
                    assertThat(w.get(3)).isBetween(40L, 49L);
                });
    }

    /** The first revision fetched, and staging's startup sync finished at it. */
    private void startWithStagingSynced() {
        source.head = new Revision("a".repeat(40));
        watcher.tick();
        statuses.record(new SyncFinished("staging", Trigger.STARTUP,
                SyncResult.planned("staging", source.head.sha(), SyncResult.Outcome.SYNCED, List.of()), Duration.ZERO),
                clock.instant());
    }

    @Test
    void anAutoSyncEnvironmentIsResyncedOncePerInterval() {
        startWithStagingSynced();
        requests.sent.clear();

        clock.advance(Duration.ofSeconds(59));
        watcher.tick();
        assertThat(requests.sent).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        watcher.tick();
        clock.advance(Duration.ofSeconds(1));
        watcher.tick();
        assertThat(requests.sent).withFailMessage("one request per interval, even while that sync still runs")
                .containsExactly(new SyncRequested("staging", Trigger.INTERVAL));
    }

    @Test
    void anEnvironmentThatLeavesGitIsNotSyncedAndIsForgotten() {
        startWithStagingSynced();
        awsStatuses.record("staging", new AwsCheck(source.head.sha(), false, clock.instant(), List.of(), List.of(), null));
        requests.sent.clear();

        source.head = new Revision("b".repeat(40));
        source.environments = List.of("production");
        source.changed = Set.of("staging");
        clock.advance(Duration.ofSeconds(60));
        watcher.tick();

        assertThat(watcher.environments()).containsExactly("production");
        assertThat(requests.sent).withFailMessage("a folder that is gone has nothing to sync").isEmpty();
        assertThat(statuses.get("staging")).isEmpty();
        assertThat(awsStatuses.get("staging")).isEmpty();

        clock.advance(Duration.ofSeconds(120));
        watcher.tick();
        assertThat(requests.sent).withFailMessage("nor is it synced on its interval").isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final class RecordingEmitter implements Emitter<SyncRequested> {
        final List<SyncRequested> sent = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(SyncRequested request) {
            sent.add(request);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public <M extends Message<? extends SyncRequested>> void send(M message) {
            sent.add(message.getPayload());
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
