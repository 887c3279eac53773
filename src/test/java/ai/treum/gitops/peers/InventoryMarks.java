package ai.treum.gitops.peers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** The rollout and rollback marks the daemon keeps on an environment's inventory ConfigMap. */
public final class InventoryMarks {

    private InventoryMarks() {
    }

    public static Map<String, String> of(KubernetesClient client, String environment) {
        ConfigMap inventory = client.configMaps().inNamespace("treum-gitops")
                .withName("treum-gitops-inventory-" + environment).get();
        return inventory == null || inventory.getMetadata().getAnnotations() == null ? Map.of()
                : inventory.getMetadata().getAnnotations();
    }
}
