package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.LiveChangeListener;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Live objects the daemon manages, held by one informer per environment and kind (watching every
 * namespace, only objects labelled as the daemon's and as that environment's), started on the
 * environment's first read and stopped when this replica lets the environment go
 * ({@link #retain}): memory grows with the environments a replica holds, not with the fleet.
 * Reads come from memory, so planning an environment of thousands of objects costs no API calls;
 * every change made by somebody else reaches the listeners within the watch's latency. An object
 * that is not in the environment's cache is not the environment's; {@link #notShown} says whose it is.
 */
public class ManagedObjectCache implements ClusterReader, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ManagedObjectCache.class);

    /**
     * Kinds watched namespace by namespace, not cluster-wide: the daemon's role may read Secrets
     * only in the environments' namespaces (k8s/rbac.yaml), never across the cluster.
     */
    private static final Set<String> PER_NAMESPACE = Set.of("v1/Secret");

    private final KubernetesClient watching;
    private final KubernetesCluster cluster;
    private final Duration syncTimeout;
    private final Map<String, Watched> informers = new ConcurrentHashMap<>();

    private record Watched(String environment, SharedIndexInformer<GenericKubernetesResource> informer,
            CompactStore store) {
    }
    private final List<LiveChangeListener> listeners = new CopyOnWriteArrayList<>();

    /** @param client the shared client; the informers watch through an {@link UntypedClient} of it, closed with the cache */
    public ManagedObjectCache(KubernetesClient client, KubernetesCluster cluster, Duration syncTimeout) {
        this.watching = UntypedClient.of(client);
        this.cluster = cluster;
        this.syncTimeout = syncTimeout;
    }

    public void addListener(LiveChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<ObjectNode> get(String environment, String apiVersion, ResourceKey key) {
        String id = informerId(environment, apiVersion, key);
        if (!informers.containsKey(id) && !cluster.serves(apiVersion, key.kind())) {
            return Optional.empty(); // no object of a kind the cluster does not serve (yet: its CRD may come in this sync)
        }
        String storeKey = key.clusterScoped() ? key.name() : key.namespace() + "/" + key.name();
        return informer(id, environment, apiVersion, key.kind(), PER_NAMESPACE.contains(apiVersion + "/" + key.kind())
                ? key.namespace() : null).node(storeKey);
    }

    @Override
    public boolean serves(String environment, String apiVersion, String kind) {
        return cluster.serves(apiVersion, kind);
    }

    /** One list from the API server, asked only for objects the cache does not hold (a first sync, a new object). */
    @Override
    public Map<String, String> notShown(String environment, String apiVersion, String kind, String namespace) {
        return cluster.ownersBesides(apiVersion, kind, namespace, environment);
    }

    /** How many informers run: one per environment and kind read. */
    public int informerCount() {
        return informers.size();
    }

    /** Stops the informers of every environment but those kept, and forgets what they held. */
    public void retain(Predicate<String> keep) {
        informers.entrySet().removeIf(entry -> {
            if (keep.test(entry.getValue().environment())) {
                return false;
            }
            entry.getValue().informer().close();
            LOG.debugf("stopped watching %s", entry.getKey());
            return true;
        });
    }

    /**
     * Which informer holds the environment's object: one per kind, or per kind and namespace for
     * {@link #PER_NAMESPACE}.
     */
    private static String informerId(String environment, String apiVersion, ResourceKey key) {
        String kind = apiVersion + "/" + key.kind();
        return (PER_NAMESPACE.contains(kind) ? kind + "@" + key.namespace() : kind) + " of " + environment;
    }

    /** @param namespace the one namespace watched, or null for all */
    private CompactStore informer(String id, String environment, String apiVersion, String kind, String namespace) {
        return informers.computeIfAbsent(id, k -> {
            CompactStore store = new CompactStore(watching.getKubernetesSerialization());
            var all = watching.genericKubernetesResources(cluster.context(apiVersion, kind));
            SharedIndexInformer<GenericKubernetesResource> informer = (namespace == null ? all.inAnyNamespace()
                    : all.inNamespace(namespace))
                    .withLabel(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER)
                    .withLabel(Ownership.ENVIRONMENT_LABEL, environment)
                    .runnableInformer(0)
                    .itemStore(store);
            informer.addEventHandler(new Handler());
            try {
                informer.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                informer.close();
                throw new KubernetesClientException("cannot watch " + apiVersion + " " + kind + ": " + e.getMessage(), e);
            }
            LOG.debugf("watching %s %s of %s%s", apiVersion, kind, environment, namespace == null ? "" : " in " + namespace);
            return new Watched(environment, informer, store);
        }).store();
    }

    @Override
    public void close() {
        informers.values().forEach(watched -> watched.informer().close());
        watching.close();
    }

    /** Passes on updates and deletions made by anybody but the daemon; its own writes are not news. */
    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {

        @Override
        public void onAdd(GenericKubernetesResource object) {
            // new objects are the daemon's own creates, or labelled by hand and outside any inventory
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource now) {
            if (!old.getMetadata().getResourceVersion().equals(now.getMetadata().getResourceVersion())
                    && !lastWriteWasOwnOrStatus(now)) {
                notify(now, false);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            notify(object, true);
        }

        private void notify(GenericKubernetesResource object, boolean deleted) {
            String environment = object.getMetadata().getLabels().get(Ownership.ENVIRONMENT_LABEL);
            if (environment == null) {
                return;
            }
            ResourceKey key = ResourceKey.of(object.getApiVersion(), object.getKind(),
                    object.getMetadata().getNamespace(), object.getMetadata().getName());
            listeners.forEach(l -> l.changed(environment, key, deleted));
        }

        /**
         * Whether the last write was the daemon's own or a controller's status update. The
         * managedFields times have one-second precision and are missing on some subresource
         * writes (scale), so any other manager's entry that is as new, or has no time, counts as
         * a change by somebody else.
         */
        private boolean lastWriteWasOwnOrStatus(GenericKubernetesResource object) {
            List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
            String newestOwn = entries.stream().filter(Handler::ownOrStatus).map(ManagedFieldsEntry::getTime)
                    .filter(t -> t != null).max(Comparator.naturalOrder()).orElse(null);
            return newestOwn != null && entries.stream().filter(e -> !ownOrStatus(e))
                    .allMatch(e -> e.getTime() != null && e.getTime().compareTo(newestOwn) < 0);
        }

        private static boolean ownOrStatus(ManagedFieldsEntry entry) {
            return Ownership.ownManager(entry.getManager()) || "status".equals(entry.getSubresource());
        }
    }
}
