package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.shard.Shards;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.port.ShardOwnership;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Shards held through coordination.k8s.io Leases, one per shard ({@code treum-gitops-shard-<n>}),
 * won and renewed by fabric8's leader election. Each replica also renews a membership Lease of its
 * own, so all can count the live replicas and contend only for their share. A replica that has
 * more than its share (another one came up) stops writing for the extra shards, waits for their
 * running syncs, and releases them. Requests from outside that reach a replica not holding the
 * environment are passed on through the ConfigMap {@code treum-gitops-sync-requests}.
 */
public class ShardLeases implements ShardOwnership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShardLeases.class);
    static final String SHARD_LABEL = "gitops.treum.ai/shard";
    static final String MEMBER_LABEL = "gitops.treum.ai/member";
    static final String REQUESTS = "treum-gitops-sync-requests";
    /** After how many lease durations without renewal a replica's membership Lease is deleted. */
    private static final int GONE_AFTER_LEASES = 20;

    private record Contender(LeaderElector elector, CompletableFuture<?> running) {
        /** Stops contending; a held Lease is released at once rather than left to run out. */
        void stop() {
            running.cancel(true);
            elector.release();
        }
    }

    /** How the leases are timed: as in client-go, renewDeadline < leaseDuration. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final int count;
    private final Timing timing;
    private final Supplier<Set<String>> syncing;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "treum-gitops-shards");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, Contender> contending = new ConcurrentHashMap<>();
    private final Set<Integer> leading = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Instant> draining = new ConcurrentHashMap<>();
    private final Map<String, String> requestsSeen = new HashMap<>();
    private volatile Map<Integer, String> holders = Map.of();
    private volatile Listener listener;
    private boolean requestsRead;
    private String lastProblem;

    /** @param syncing the environments whose sync is running, which a shard being released waits for */
    public ShardLeases(KubernetesClient client, String namespace, String identity, int count, Timing timing,
            Supplier<Set<String>> syncing) {
        if (count < 1) {
            throw new IllegalArgumentException("treum-gitops.sharding.shards must be at least 1, not " + count);
        }
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.count = count;
        this.timing = timing;
        this.syncing = syncing;
    }

    @Override
    public boolean holds(String environment) {
        int shard = Shards.of(environment, count);
        return leading.contains(shard) && !draining.containsKey(shard);
    }

    @Override
    public Optional<Holder> holder(String environment) {
        int shard = Shards.of(environment, count);
        return Optional.of(new Holder(shard, holders.getOrDefault(shard, ""), holds(environment)));
    }

    @Override
    public void forward(String environment, Trigger trigger, String user) {
        try {
            write(environment, trigger, user);
        } catch (KubernetesClientException e) {
            LOG.warnf("sharding: the %s request for %s could not be passed on: %s", trigger.name().toLowerCase(),
                    environment, e.getMessage());
        }
    }

    /** One line per environment: {@code <time> <trigger> <replica> [<user>]}; the user last, as it may hold spaces. */
    private void write(String environment, Trigger trigger, String user) {
        ConfigMap request = new ConfigMapBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(REQUESTS).withNamespace(namespace).build())
                .addToData(environment, (clock.instant() + " " + trigger.name() + " " + identity + " " + user).trim())
                .build();
        // one field manager per environment: an apply for one never takes another's key away
        client.configMaps().resource(request).fieldManager("treum-gitops-forward-" + environment).forceConflicts()
                .serverSideApply();
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        LOG.infof("sharding: %d shard(s), this replica is %s, Leases in namespace %s", count, identity, namespace);
        ticker.scheduleWithFixedDelay(this::tick, 0, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            renewMembership();
            SortedSet<Integer> wanted = Shards.wanted(count, liveMembers(), identity);
            wanted.forEach(this::contend);
            for (Integer shard : Set.copyOf(contending.keySet())) {
                if (!wanted.contains(shard)) {
                    letGo(shard);
                }
            }
            holders = readHolders();
            passOnRequests();
            lastProblem = null;
        } catch (KubernetesClientException e) {
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warnf("sharding: %s", e.getMessage());
                lastProblem = e.getMessage();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "sharding tick failed");
        }
    }

    private void contend(int shard) {
        draining.remove(shard);
        Contender current = contending.get(shard);
        if (current != null && !current.running().isDone()) {
            return;
        }
        String name = "treum-gitops-shard-" + shard;
        LeaseLock lock = new LeaseLock(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
                .addToLabels(SHARD_LABEL, String.valueOf(shard)).build(), identity);
        var config = new LeaderElectionConfigBuilder().withName(name).withLock(lock)
                .withLeaseDuration(timing.leaseDuration()).withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withLeaderCallbacks(new LeaderCallbacks(() -> acquired(shard), () -> lost(shard), holder -> {
                }))
                .build();
        LeaderElector elector = client.leaderElector().withConfig(config).build();
        contending.put(shard, new Contender(elector, elector.start()));
    }

    private void acquired(int shard) {
        LOG.infof("sharding: %s holds shard %d", identity, shard);
        leading.add(shard);
        Listener current = listener;
        if (current != null) {
            current.acquired(shard);
        }
    }

    private void lost(int shard) {
        if (leading.remove(shard)) {
            LOG.infof("sharding: %s no longer holds shard %d", identity, shard);
        }
    }

    /** Stops writing for the shard at once, and releases its Lease once none of its syncs runs. */
    private void letGo(int shard) {
        if (!leading.contains(shard)) {
            contending.remove(shard).running().cancel(true);
            return;
        }
        Instant since = draining.computeIfAbsent(shard, s -> clock.instant());
        boolean busy = syncing.get().stream().anyMatch(env -> Shards.of(env, count) == shard);
        if (!busy || clock.instant().isAfter(since.plus(timing.renewDeadline()))) {
            LOG.infof("sharding: %s hands shard %d over", identity, shard);
            leading.remove(shard);
            contending.remove(shard).stop();
            draining.remove(shard);
        }
    }

    private void renewMembership() {
        Instant now = clock.instant();
        Lease member = new LeaseBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(memberLease())
                        .addToLabels(MEMBER_LABEL, "true").build())
                .withNewSpec().withHolderIdentity(identity).withRenewTime(now.atZone(ZoneOffset.UTC))
                .withLeaseDurationSeconds((int) timing.leaseDuration().toSeconds()).endSpec().build();
        client.leases().resource(member).fieldManager("treum-gitops").forceConflicts().serverSideApply();
    }

    private String memberLease() {
        return "treum-gitops-member-" + identity;
    }

    /** The replicas whose membership Lease is live; those of replicas long gone are deleted. */
    private List<String> liveMembers() {
        List<String> live = new ArrayList<>();
        Instant gone = clock.instant().minus(timing.leaseDuration().multipliedBy(GONE_AFTER_LEASES));
        for (Lease lease : client.leases().inNamespace(namespace).withLabel(MEMBER_LABEL).list().getItems()) {
            if (live(lease)) {
                live.add(lease.getSpec().getHolderIdentity());
            } else if (renewed(lease).isBefore(gone)) {
                // pods come and go under new names: without this the namespace would collect their Leases
                client.leases().inNamespace(namespace).withName(lease.getMetadata().getName()).delete();
            }
        }
        return live;
    }

    private Map<Integer, String> readHolders() {
        Map<Integer, String> read = new HashMap<>();
        for (Lease lease : client.leases().inNamespace(namespace).withLabel(SHARD_LABEL).list().getItems()) {
            if (live(lease)) {
                read.put(Integer.valueOf(lease.getMetadata().getLabels().get(SHARD_LABEL)),
                        lease.getSpec().getHolderIdentity());
            }
        }
        return read;
    }

    private boolean live(Lease lease) {
        var spec = lease.getSpec();
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()
                || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
            return false;
        }
        return renewed(lease).plusSeconds(spec.getLeaseDurationSeconds()).isAfter(clock.instant());
    }

    private static Instant renewed(Lease lease) {
        var spec = lease.getSpec();
        return spec == null || spec.getRenewTime() == null ? Instant.EPOCH : spec.getRenewTime().toInstant();
    }

    /** Hands the holder's own environments' new requests to the listener; the first read only takes note. */
    private void passOnRequests() {
        ConfigMap requests = client.configMaps().inNamespace(namespace).withName(REQUESTS).get();
        Map<String, String> data = requests == null || requests.getData() == null ? Map.of() : requests.getData();
        for (Map.Entry<String, String> request : data.entrySet()) {
            String previous = requestsSeen.put(request.getKey(), request.getValue());
            if (requestsRead && !request.getValue().equals(previous) && holds(request.getKey())) {
                String[] parts = request.getValue().split(" ", 4);
                LOG.infof("sharding: %s asked for a sync of %s (%s)", parts.length > 2 ? parts[2] : "a replica",
                        request.getKey(), parts.length > 1 ? parts[1].toLowerCase() : "api");
                listener.forwarded(request.getKey(), trigger(parts), parts.length > 3 ? parts[3] : "");
            }
        }
        requestsRead = true;
    }

    private static Trigger trigger(String[] request) {
        try {
            return Trigger.valueOf(request.length > 1 ? request[1] : "API");
        } catch (IllegalArgumentException e) {
            return Trigger.API;
        }
    }

    /** Releases every held shard, so that the other replicas need not wait for the Leases to run out. */
    @Override
    public void close() {
        ticker.shutdownNow();
        leading.clear();
        try {
            contending.values().forEach(Contender::stop);
            client.leases().inNamespace(namespace).withName(memberLease()).delete();
        } catch (KubernetesClientException e) {
            LOG.debugf("sharding: membership Lease not deleted: %s", e.getMessage());
        }
    }
}
