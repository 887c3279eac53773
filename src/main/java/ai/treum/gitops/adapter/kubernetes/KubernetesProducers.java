package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.AccessReview;
import ai.treum.gitops.port.AdmittedObjects;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.EksAccess;
import ai.treum.gitops.port.EnvironmentClusters;
import ai.treum.gitops.port.EventLog;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.HistoryStore;
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
import java.time.Clock;

/**
 * CDI wiring of the cluster ports onto the clusters environments name: the Quarkus-configured
 * fabric8 client for the daemon's own, one client per other cluster ({@link ClusterTargets}).
 */
public class KubernetesProducers {

    @Produces
    @Singleton
    ClusterTargets targets(KubernetesClient client, GitopsConfig config, ShardOwnership shards,
            EnvironmentClusters directory, Instance<EksAccess> eks, Instance<LiveChangeListener> listeners) {
        ClusterTargets targets = new ClusterTargets(new ClusterConnector(client, config.namespace(), eks::get), directory,
                new ClusterTargets.Settings(config.namespace(), config.sharding().identity(), config.crdEstablishTimeout(),
                        shards::holds), Clock.systemUTC());
        listeners.forEach(targets::addListener);
        return targets;
    }

    void close(@Disposes ClusterTargets targets) {
        targets.close();
    }

    @Produces
    @Singleton
    @Typed({ClusterReader.class, ClusterApplier.class, InventoryStore.class, HistoryStore.class, EventRecorder.class,
            EventLog.class, AdmittedObjects.class})
    EnvironmentRouting routing(ClusterTargets targets, ShardOwnership shards) {
        return new EnvironmentRouting(targets, shards::holds);
    }

    @Produces
    @Singleton
    AccessReview accessReview(KubernetesClient client) {
        return new KubernetesAccessReview(client);
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
}
