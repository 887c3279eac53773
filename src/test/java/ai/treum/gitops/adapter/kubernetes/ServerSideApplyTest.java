package ai.treum.gitops.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server-side apply against the real kube-apiserver: field ownership and conflicts. */
@ExtendWith(KubernetesPeer.class)
class ServerSideApplyTest {

    private static final String MANAGER = "treum-gitops";

    @Test
    void applyRecordsTheFieldManagerAndAnotherManagerConflictsUnlessForced(KubernetesClient client, TestNamespace ns) {
        client.resource(configMap(ns, "8000")).fieldManager(MANAGER).serverSideApply();

        ConfigMap live = client.configMaps().inNamespace(ns.name()).withName("api-settings").get();
        assertThat(live.getMetadata().getManagedFields())
                .withFailMessage("the apply must be recorded under the daemon's field manager")
                .anySatisfy(entry -> {
                    assertThat(entry.getManager()).isEqualTo(MANAGER);
                    assertThat(entry.getOperation()).isEqualTo("Apply");
                    assertThat(entry.getFieldsV1().getAdditionalProperties().toString()).contains("f:PORT");
                });

        assertThatThrownBy(() -> client.resource(configMap(ns, "9000")).fieldManager("kubectl-edit").serverSideApply())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                        .withFailMessage("a second manager changing an owned field must get 409 Conflict")
                        .isEqualTo(409));
        assertThat(client.configMaps().inNamespace(ns.name()).withName("api-settings").get().getData())
                .containsEntry("PORT", "8000");

        client.resource(configMap(ns, "9000")).fieldManager("kubectl-edit").forceConflicts().serverSideApply();
        ConfigMap taken = client.configMaps().inNamespace(ns.name()).withName("api-settings").get();
        assertThat(taken.getData()).containsEntry("PORT", "9000");
        assertThat(taken.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .withFailMessage("a forced apply moves ownership of the field to the new manager")
                .contains("kubectl-edit");
    }

    private static ConfigMap configMap(TestNamespace ns, String port) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName("api-settings").withNamespace(ns.name()).endMetadata()
                .addToData("PORT", port)
                .build();
    }
}
