package ai.treum.gitops.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import org.junit.jupiter.api.Test;

/** What the informers' client makes of watch events: generic objects, but a Status for errors. */
class UntypedClientTest {

    @Test
    void aWatchedObjectStaysGeneric() {
        WatchEvent event = UntypedClient.serialization().unmarshal("""
                {"type": "MODIFIED", "object": {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "api", "namespace": "shop", "resourceVersion": "7"},
                 "spec": {"replicas": 3}}}""", WatchEvent.class);

        assertThat(event.getObject()).isExactlyInstanceOf(GenericKubernetesResource.class);
        GenericKubernetesResource deployment = (GenericKubernetesResource) event.getObject();
        assertThat(deployment.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(deployment.<Integer>get("spec", "replicas")).isEqualTo(3);
    }

    @Test
    void aWatchErrorIsAStatus() {
        WatchEvent event = UntypedClient.serialization().unmarshal("""
                {"type": "ERROR", "object": {"apiVersion": "v1", "kind": "Status", "status": "Failure",
                 "reason": "Expired", "code": 410, "message": "too old resource version: 7 (42)"}}""", WatchEvent.class);

        assertThat(event.getObject()).isInstanceOf(Status.class);
        assertThat(((Status) event.getObject()).getCode()).isEqualTo(410);
    }
}
