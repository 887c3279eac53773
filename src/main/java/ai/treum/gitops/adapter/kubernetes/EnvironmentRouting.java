package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.port.AdmittedObjects;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.EventLog;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.HistoryStore;
import ai.treum.gitops.port.InventoryStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cluster ports, each call sent to the cluster of the environment it is for
 * ({@link ClusterTargets}): writes, inventory and Events to its API server, reads to its informers
 * while this replica holds the environment, and otherwise to the API server itself, so a replica
 * keeps in memory only the objects of the environments it holds. An object to apply names its
 * environment by the label the sync stamps on it.
 */
public class EnvironmentRouting implements ClusterReader, ClusterApplier, InventoryStore, HistoryStore, EventRecorder,
        EventLog, AdmittedObjects {

    private final ClusterTargets targets;
    private final Predicate<String> held;

    /** @param held whether this replica holds an environment now */
    public EnvironmentRouting(ClusterTargets targets, Predicate<String> held) {
        this.targets = targets;
        this.held = held;
    }

    /** A call to the environment's cluster; one that cannot reach it fails naming the cluster and why. */
    private <T> T in(String environment, Function<ClusterTargets.Target, T> call) {
        ClusterTargets.Target target = targets.of(environment);
        try {
            return call.apply(target);
        } catch (KubernetesClientException e) {
            throw new ClusterTargets.Unreachable("environment " + environment + ": cluster " + target.declared().id()
                    + ": " + KubernetesConnection.rootMessage(e));
        }
    }

    @Override
    public Optional<ObjectNode> get(String environment, String apiVersion, ResourceKey key) {
        return in(environment, t -> held.test(environment) ? t.cache().get(environment, apiVersion, key)
                : t.cluster().get(apiVersion, key));
    }

    @Override
    public boolean serves(String environment, String apiVersion, String kind) {
        return in(environment, t -> t.cluster().serves(apiVersion, kind));
    }

    @Override
    public Map<String, String> notShown(String environment, String apiVersion, String kind, String namespace) {
        return in(environment, t -> held.test(environment) ? t.cache().notShown(environment, apiVersion, kind, namespace)
                : Map.of());
    }

    @Override
    public ChangeEntry apply(DesiredResource resource, boolean forceConflicts) {
        return in(Ownership.environmentOf(resource.body()), t -> t.cluster().apply(resource, forceConflicts));
    }

    @Override
    public ChangeEntry recreate(DesiredResource resource) {
        return in(Ownership.environmentOf(resource.body()), t -> t.cluster().recreate(resource));
    }

    @Override
    public ChangeEntry delete(InventoryEntry entry, String environment) {
        return in(environment, t -> t.cluster().delete(entry, environment));
    }

    @Override
    public Optional<ObjectNode> handOver(String environment, String apiVersion, ResourceKey key, ObjectNode live,
            String from, String to) {
        return in(environment, t -> t.cluster().handOver(environment, apiVersion, key, live, from, to));
    }

    @Override
    public boolean awaitEstablished(String environment, String crdName) {
        return in(environment, t -> t.cluster().awaitEstablished(environment, crdName));
    }

    @Override
    public Versioned loadVersioned(String environment) {
        return in(environment, t -> t.inventory().loadVersioned(environment));
    }

    @Override
    public Versioned save(String environment, Versioned expected, SortedSet<InventoryEntry> entries) {
        return in(environment, t -> t.inventory().save(environment, expected, entries));
    }

    @Override
    public Map<String, String> marks(String environment) {
        return in(environment, t -> t.inventory().marks(environment));
    }

    @Override
    public void mark(String environment, Map<String, String> marks) {
        in(environment, t -> {
            t.inventory().mark(environment, marks);
            return null;
        });
    }

    @Override
    public List<HistoryRecord> read(String environment) {
        return in(environment, t -> t.history().read(environment));
    }

    @Override
    public void append(String environment, List<HistoryRecord> records, int keep) {
        in(environment, t -> {
            t.history().append(environment, records, keep);
            return null;
        });
    }

    /** An Event is a write too: only the replica holding the environment records one. */
    @Override
    public void record(String environment, ObjectEvent event) {
        if (!held.test(environment)) {
            return;
        }
        try {
            in(environment, t -> {
                t.events().record(environment, event);
                return null;
            });
        } catch (ClusterTargets.Unreachable e) {
            // best effort, as recording is everywhere: the environment's status already says why
        }
    }

    @Override
    public List<RecordedEvent> recent(String environment, String namespace, int limit) {
        try {
            return in(environment, t -> t.log().recent(environment, namespace, limit));
        } catch (ClusterTargets.Unreachable e) {
            return List.of();
        }
    }

    @Override
    public Optional<JsonNode> admitted(String environment, JsonNode object) {
        try {
            return in(environment, t -> t.admitted().admitted(environment, object));
        } catch (ClusterTargets.Unreachable e) {
            return Optional.empty();
        }
    }
}
