package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.AccessReview;
import ai.treum.gitops.port.AdmittedObjects;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.EventLog;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.InventoryStore;
import ai.treum.gitops.port.LiveChangeListener;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.SyncGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/** CDI wiring of the cluster ports (reader, applier, inventory) onto the Quarkus-configured fabric8 client. */
public class KubernetesProducers {

    @Produces
    @Singleton
    @Typed({KubernetesCluster.class, ClusterApplier.class})
    KubernetesCluster cluster(KubernetesClient client, GitopsConfig config, ShardOwnership shards) {
        return new KubernetesCluster(client, config.crdEstablishTimeout(), shards::holds);
    }

    @Produces
    @Singleton
    @Typed({ManagedObjectCache.class, ClusterReader.class})
    ManagedObjectCache cache(KubernetesClient client, KubernetesCluster cluster, GitopsConfig config,
            Instance<LiveChangeListener> listeners) {
        ManagedObjectCache cache = new ManagedObjectCache(client, cluster, config.crdEstablishTimeout());
        listeners.forEach(cache::addListener);
        return cache;
    }

    @Produces
    @Singleton
    AdmittedObjects admittedObjects(KubernetesCluster cluster) {
        return new DryRunAdmittedObjects(cluster);
    }

    @Produces
    @Singleton
    EventRecorder events(KubernetesClient client, GitopsConfig config) {
        return new KubernetesEventRecorder(client, config.sharding().identity());
    }

    @Produces
    @Singleton
    AccessReview accessReview(KubernetesClient client) {
        return new KubernetesAccessReview(client);
    }

    @Produces
    @Singleton
    EventLog eventLog(KubernetesClient client) {
        return new KubernetesEventLog(client);
    }

    @Produces
    @Singleton
    ShardOwnership shards(KubernetesClient client, GitopsConfig config, SyncGate gate) {
        GitopsConfig.Sharding sharding = config.sharding();
        if (!sharding.enabled()) {
            return ShardOwnership.single();
        }
        return new ShardLeases(client, config.namespace(), sharding.identity(), sharding.shards(),
                new ShardLeases.Timing(sharding.leaseDuration(), sharding.renewDeadline(), sharding.retryPeriod()),
                gate::running);
    }

    void release(@Disposes ShardOwnership shards) {
        if (shards instanceof ShardLeases leases) {
            leases.close();
        }
    }

    void close(@Disposes ManagedObjectCache cache) {
        cache.close();
    }

    @Produces
    @Singleton
    InventoryStore inventory(KubernetesClient client, GitopsConfig config, ShardOwnership shards) {
        return new ConfigMapInventoryStore(client, config.namespace(), shards::holds);
    }
}
