package ai.treum.gitops.adapter.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A second client on the same configuration, whose serialization knows no typed kind but Status:
 * every object it reads stays a {@code GenericKubernetesResource}. The informers watch through it.
 * Through the shared client, fabric8 parsed each watch event into its typed model (ConfigMap,
 * Deployment, ...) and then converted that into a generic resource again, the largest share of
 * JSON work in a large sync (docs/benchmarks.md).
 */
final class UntypedClient {

    private UntypedClient() {
    }

    static KubernetesClient of(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withKubernetesSerialization(serialization()).build();
    }

    static KubernetesSerialization serialization() {
        KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
        // a watch's error event (410 Gone, say) must stay a Status for fabric8 to list again
        serialization.registerKubernetesResource(Status.class);
        return serialization;
    }
}
