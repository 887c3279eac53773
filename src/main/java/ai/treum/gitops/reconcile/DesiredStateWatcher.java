package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.sync.Backoff;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.TraceParent;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.ConnectionCheck;
import ai.treum.gitops.port.DesiredStateSource.SourceUnavailableException;
import ai.treum.gitops.port.DesiredStateSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Watches the repository and the clock and asks for syncs: every environment once the first
 * revision is fetched, the environments a new commit touched, and each auto-sync environment
 * when its interval has passed. While the repository is unreachable it keeps the last revision
 * it fetched and retries with backoff.
 */
@ApplicationScoped
public class DesiredStateWatcher implements ConnectionCheck {

    private static final Logger LOG = Logger.getLogger(DesiredStateWatcher.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    /** Fetches asked for by pushes start at least this far apart: a flood of pushes fetches once a second at most. */
    private static final Duration PUSH_FETCH_SPACING = Duration.ofSeconds(1);

    private final DesiredStateSource source;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final EnvironmentStatuses statuses;
    private final Emitter<SyncRequested> requests;
    private final Iterable<PerEnvironmentState> kept;
    private final Clock clock;

    private volatile Revision current;
    private volatile Map<String, EnvironmentSpec> environments = Map.of();
    private volatile ConnectionStatus status = ConnectionStatus.down("not fetched yet");
    private final Map<String, Instant> intervalRequested = new ConcurrentHashMap<>();
    private Instant nextFetch = Instant.MIN;
    private int failures;
    private final GitopsMetrics metrics;
    private final Tracing tracing;
    /** Set while a fetch asked for by a push waits to start: every push until then shares that one fetch. */
    private final AtomicBoolean fetchWanted = new AtomicBoolean();
    /** Fetches asked for by pushes that have not finished yet: queued, waiting their turn or running. */
    private final AtomicInteger pushFetches = new AtomicInteger();
    private final Set<String> pushed = ConcurrentHashMap.newKeySet();
    private volatile Instant lastPushFetch = Instant.MIN;
    /** The span of the first push a waiting fetch was asked for by: the fetch and its syncs join its trace. */
    private volatile String pushTrace = "";
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "treum-gitops-fetch");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    DesiredStateWatcher(DesiredStateSource source, GitopsConfig config, EnvironmentStatuses statuses,
            @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests, Instance<PerEnvironmentState> kept,
            GitopsMetrics metrics, Tracing tracing) {
        this(source, config.git().pollInterval(), config.git().maxBackoff(), statuses, requests, kept, Clock.systemUTC(),
                metrics, tracing);
    }

    DesiredStateWatcher(DesiredStateSource source, Duration pollInterval, Duration maxBackoff, EnvironmentStatuses statuses,
            Emitter<SyncRequested> requests, Iterable<PerEnvironmentState> kept, Clock clock, GitopsMetrics metrics,
            Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.source = source;
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff;
        this.statuses = statuses;
        this.requests = requests;
        this.kept = kept;
        this.clock = clock;
    }

    /** The newest revision fetched, if any fetch has succeeded yet. */
    public Optional<Revision> current() {
        return Optional.ofNullable(current);
    }

    /** The environments at the current revision. */
    public Set<String> environments() {
        return environments.keySet();
    }

    @Override
    public String peer() {
        return "git";
    }

    @Override
    public ConnectionStatus check() {
        ConnectionStatus now = status;
        return pushFetches.get() == 0 ? now
                : new ConnectionStatus(now.up(), now.detail() + "; a fetch asked for by a push is pending");
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = clock.instant();
        if (!now.isBefore(nextFetch)) {
            try (Tracing.Step step = tracing.start("git fetch", "")) {
                fetch(now, step);
            }
        }
        requestDueIntervals(now);
    }

    /** Fetches now, on the caller's thread, whatever the poll interval says: another replica passed on a request. */
    public void fetchNow() {
        try (Tracing.Step step = tracing.start("git fetch", TraceParent.current())) {
            fetch(clock.instant(), step);
        }
    }

    /**
     * A push arrived: fetch soon, on the fetcher's thread and never the caller's, then sync the
     * environments the push named. Pushes that arrive before that fetch starts share it, and such
     * fetches start a second apart at least, so a flood of pushes costs one fetch a second. Only
     * environments known now are remembered; a new one is synced as the commit's change anyway.
     */
    public void fetchSoon(Set<String> environmentsPushed) {
        environmentsPushed.stream().filter(environments.keySet()::contains).forEach(pushed::add);
        if (fetchWanted.compareAndSet(false, true)) {
            pushTrace = TraceParent.current();
            pushFetches.incrementAndGet();
            fetcher.execute(this::fetchForPushes);
        }
    }

    /** Up at a revision, with the environments it holds. */
    private ConnectionStatus upAt(Revision revision) {
        return ConnectionStatus.up("at " + revision + ": " + String.join(", ", environments.keySet()));
    }

    private void fetchForPushes() {
        try {
            fetchPushed();
        } finally {
            pushFetches.decrementAndGet();
        }
    }

    private void fetchPushed() {
        // pushes that arrive while this waits share its fetch
        Duration early = Duration.between(clock.instant(), lastPushFetch.plus(PUSH_FETCH_SPACING));
        if (!early.isNegative() && !early.isZero()) {
            try {
                Thread.sleep(early.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fetchWanted.set(false);
        lastPushFetch = clock.instant();
        try (Tracing.Step step = tracing.start("git fetch", pushTrace)) {
            fetch(lastPushFetch, step);
            for (Iterator<String> each = pushed.iterator(); each.hasNext(); ) {
                String env = each.next();
                each.remove();
                requests.send(new SyncRequested(env, Trigger.WEBHOOK, "", step.traceParent()));
            }
        }
    }

    @PreDestroy
    void stop() {
        fetcher.shutdownNow();
    }

    /** @param step the fetch's span, which the syncs it asks for join */
    private synchronized void fetch(Instant now, Tracing.Step step) {
        Revision fetched;
        try {
            fetched = source.fetch();
            metrics.gitFetched("success");
        } catch (SourceUnavailableException e) {
            metrics.gitFetched("error");
            failures++;
            Duration wait = Backoff.delay(failures, FIRST_RETRY, maxBackoff, ThreadLocalRandom.current().nextDouble());
            nextFetch = now.plus(wait);
            status = ConnectionStatus.down(e.getMessage() + "; keeping " + (current == null ? "no revision" : current)
                    + ", retry in " + wait.toSeconds() + "s");
            LOG.warnf("git fetch failed (%d in a row): %s", failures, status.detail());
            return;
        }
        failures = 0;
        nextFetch = now.plus(pollInterval);
        Revision previous = current;
        if (fetched.equals(previous)) {
            status = upAt(fetched);
            return;
        }
        Set<String> before = environments.keySet();
        environments = readEnvironments(fetched);
        current = fetched;
        forgetRemoved(before, fetched);
        status = upAt(fetched);
        if (previous == null) {
            LOG.infof("git revision %s: environments %s", fetched, environments.keySet());
            environments.keySet().forEach(env -> requests.send(new SyncRequested(env, Trigger.STARTUP, "",
                    step.traceParent())));
        } else {
            var changed = new TreeSet<>(source.changedEnvironments(previous, fetched));
            changed.retainAll(environments.keySet());
            LOG.infof("git revision %s (was %s) changes %s", fetched, previous, changed.isEmpty() ? "no environment" : changed);
            changed.forEach(env -> requests.send(new SyncRequested(env, Trigger.GIT, "", step.traceParent())));
        }
    }

    /**
     * An environment whose folder left Git is no longer synced, and what the daemon kept about it
     * is dropped. Its objects and inventory stay in the cluster even where it prunes: a removed
     * folder is an empty desired set, which is never pruned.
     */
    private void forgetRemoved(Set<String> before, Revision fetched) {
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(environments.keySet());
        if (removed.isEmpty()) {
            return;
        }
        LOG.infof("git revision %s: environments %s are no longer in Git: not synced any more, their objects stay in"
                + " the cluster", fetched.shortSha(), removed);
        intervalRequested.keySet().removeAll(removed);
        kept.forEach(state -> state.retain(environments.keySet()));
    }

    private void requestDueIntervals(Instant now) {
        environments.forEach((name, spec) -> {
            if (spec.sync().auto()) {
                statuses.get(name).ifPresent(s -> {
                    Instant since = intervalRequested.getOrDefault(name, Instant.MIN);
                    Instant last = s.finishedAt().isAfter(since) ? s.finishedAt() : since;
                    if (!now.isBefore(last.plus(spec.sync().interval()))) {
                        intervalRequested.put(name, now);
                        requests.send(new SyncRequested(name, Trigger.INTERVAL));
                    }
                });
            }
        });
    }

    /**
     * The environment specs at a revision; a folder whose environment.yaml is broken is still
     * synced, to report it. Each environment is read on its own: whatever one holds, the others
     * are read and keep advancing.
     */
    private Map<String, EnvironmentSpec> readEnvironments(Revision revision) {
        Map<String, EnvironmentSpec> specs = new TreeMap<>();
        for (String name : source.environments(revision)) {
            EnvironmentSpec spec = null;
            try {
                spec = source.environmentFile(revision, name).map(f -> EnvironmentLoader.load(f, name).environment())
                        .orElse(null);
            } catch (RuntimeException e) {
                LOG.errorf("environment %s at %s: environment.yaml cannot be read: %s", name, revision.shortSha(),
                        e.getMessage());
            }
            specs.put(name, spec != null ? spec : new EnvironmentSpec(name, null, EnvironmentSpec.SyncPolicy.defaults()));
        }
        return specs;
    }
}
