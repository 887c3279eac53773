package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.InventoryStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the cluster ports (reader, applier, inventory) onto the Quarkus-configured fabric8 client. */
public class KubernetesProducers {

    @Produces
    @Singleton
    KubernetesCluster cluster(KubernetesClient client, GitopsConfig config) {
        return new KubernetesCluster(client, config.crdEstablishTimeout());
    }

    @Produces
    @Singleton
    InventoryStore inventory(KubernetesClient client, GitopsConfig config) {
        return new ConfigMapInventoryStore(client, config.namespace());
    }
}
