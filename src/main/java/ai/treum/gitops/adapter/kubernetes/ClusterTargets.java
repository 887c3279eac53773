package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import ai.treum.gitops.port.EnvironmentClusters;
import ai.treum.gitops.port.LiveChangeListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The clusters environments live in, each connected on first use and then kept: one client, one
 * set of informers, one inventory and history store and one event recorder per cluster, shared by the
 * environments that name it. An environment whose cluster cannot be reached fails on its own
 * ({@link Unreachable}); the others go on. A failed connection is tried again after
 * {@link #RETRY}, not on every call.
 */
public class ClusterTargets implements ConnectionCheck, AutoCloseable {

    static final Duration RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ClusterTargets.class);

    /** One cluster's adapters. */
    public record Target(ClusterTarget declared, KubernetesClient client, KubernetesCluster cluster,
            ManagedObjectCache cache, ConfigMapInventoryStore inventory, ConfigMapHistoryStore history, KubernetesEventRecorder events,
            KubernetesEventLog log, DryRunAdmittedObjects admitted, OperatorRules rules) {
    }

    /** The environment's cluster cannot be used now; the message names the cluster, never a credential. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** How the daemon reaches clusters and what it writes with, the same for every cluster. */
    public record Settings(String namespace, String identity, Duration establishTimeout, Predicate<String> mayWriteFor) {
    }

    private record Failure(String message, Instant until) {
    }

    private final ClusterConnector connector;
    private final EnvironmentClusters directory;
    private final Settings settings;
    private final Clock clock;
    private final Map<ClusterTarget, Target> connected = new ConcurrentHashMap<>();
    private final Map<ClusterTarget, Failure> failed = new ConcurrentHashMap<>();
    private final Map<String, ClusterTarget> used = new ConcurrentHashMap<>();
    private final List<LiveChangeListener> listeners = new CopyOnWriteArrayList<>();

    public ClusterTargets(ClusterConnector connector, EnvironmentClusters directory, Settings settings, Clock clock) {
        this.connector = connector;
        this.directory = directory;
        this.settings = settings;
        this.clock = clock;
    }

    public void addListener(LiveChangeListener listener) {
        listeners.add(listener);
        connected.values().forEach(t -> t.cache().addListener(listener));
    }

    /** The environment's cluster, connected. */
    public Target of(String environment) {
        ClusterTarget declared = directory.of(environment).orElseThrow(() -> new Unreachable("environment "
                + environment + ": its cluster is not known (no revision of its environment.yaml has loaded)"));
        if (!declared.equals(used.get(environment))) {
            used.put(environment, declared); // every read of a sync asks: written only when it changes
        }
        Target known = connected.get(declared);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            Failure failure = failed.get(declared);
            if (failure != null && clock.instant().isBefore(failure.until())) {
                throw new Unreachable(failure.message());
            }
            return connected.computeIfAbsent(declared, d -> connect(environment, d));
        }
    }

    private Target connect(String environment, ClusterTarget declared) {
        KubernetesClient client;
        try {
            client = connector.connect(declared);
        } catch (RuntimeException e) {
            String message = "environment " + environment + ": cannot connect to cluster " + declared.id() + ": "
                    + e.getMessage();
            failed.put(declared, new Failure(message, clock.instant().plus(RETRY)));
            LOG.warn(message);
            throw new Unreachable(message);
        }
        failed.remove(declared);
        KubernetesCluster cluster = new KubernetesCluster(client, settings.establishTimeout(), settings.mayWriteFor());
        ManagedObjectCache cache = new ManagedObjectCache(client, cluster, settings.establishTimeout());
        listeners.forEach(cache::addListener);
        LOG.infof("connected to cluster %s for environment %s", declared.id(), environment);
        return new Target(declared, client, cluster, cache,
                new ConfigMapInventoryStore(client, settings.namespace(), settings.mayWriteFor()),
                new ConfigMapHistoryStore(client, settings.namespace(), settings.mayWriteFor()),
                new KubernetesEventRecorder(client, settings.identity()), new KubernetesEventLog(client),
                new DryRunAdmittedObjects(cluster), new OperatorRules(client, cluster));
    }

    /** Stops watching, in every cluster, the environments this replica no longer holds. */
    public void retain(Predicate<String> held) {
        connected.values().forEach(t -> t.cache().retain(held));
    }

    @Override
    public String peer() {
        return "clusters";
    }

    /** Every cluster an environment uses, and whether its API server answers; down when one does not. */
    @Override
    public ConnectionStatus check() {
        Map<String, String> states = new TreeMap<>();
        boolean up = true;
        Map<ClusterTarget, List<String>> environments = new TreeMap<>((a, b) -> a.id().compareTo(b.id()));
        used.forEach((env, target) -> environments.computeIfAbsent(target, t -> new ArrayList<>()).add(env));
        for (Map.Entry<ClusterTarget, List<String>> entry : environments.entrySet()) {
            String state = state(entry.getKey());
            up &= state.startsWith("up");
            states.put(entry.getKey().id() + " (" + String.join(", ", entry.getValue().stream().sorted().toList()) + ")",
                    state);
        }
        String detail = states.isEmpty() ? "no environment has asked for its cluster yet" : states.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + "; " + b).orElse("");
        return up ? ConnectionStatus.up(detail) : ConnectionStatus.down(detail);
    }

    private String state(ClusterTarget target) {
        Target known = connected.get(target);
        if (known == null) {
            Failure failure = failed.get(target);
            return "down: " + (failure == null ? "not connected yet" : failure.message());
        }
        try {
            return "up " + known.client().getKubernetesVersion().getGitVersion();
        } catch (KubernetesClientException e) {
            return "down: " + KubernetesConnection.rootMessage(e);
        }
    }

    /** Closes every cluster's informers, and the clients the daemon opened itself (not its own). */
    @Override
    public void close() {
        connected.values().forEach(t -> {
            t.cache().close();
            if (!(t.declared() instanceof ClusterTarget.InCluster)) {
                t.client().close();
            }
        });
        connected.clear();
    }
}
