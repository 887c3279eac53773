package ai.treum.gitops.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.TestNamespace;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The daemon's server-side applies against the real kube-apiserver: field ownership, conflicts, the API server's verdicts. */
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class ServerSideApplyTest {

    private static final String ENVIRONMENT = "ssa";
    private static final String MANAGER = "treum-gitops/" + ENVIRONMENT;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void applyRecordsTheFieldManagerAndAnotherManagersFieldConflictsUnlessForced(KubernetesClient client, TestNamespace ns) {
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        assertThat(cluster.apply(configMap(ns, "8000"), false).action()).isEqualTo(Action.CONFIGURED);

        ConfigMap live = client.configMaps().inNamespace(ns.name()).withName("api-settings").get();
        assertThat(live.getMetadata().getManagedFields())
                .withFailMessage("the apply must be recorded under the daemon's field manager")
                .anySatisfy(entry -> {
                    assertThat(entry.getManager()).isEqualTo(MANAGER);
                    assertThat(entry.getOperation()).isEqualTo("Apply");
                    assertThat(entry.getFieldsV1().getAdditionalProperties().toString()).contains("f:PORT");
                });

        client.resource(new ConfigMapBuilder(live).editMetadata().withManagedFields().withResourceVersion(null).endMetadata()
                .addToData("PORT", "9000").build()).fieldManager("kubectl-edit").forceConflicts().serverSideApply();

        ChangeEntry refused = cluster.apply(configMap(ns, "8000"), false);
        assertThat(refused.action()).isEqualTo(Action.CONFLICT);
        assertThat(refused.detail()).withFailMessage("the API server's message names the other manager: %s", refused.detail())
                .contains("kubectl-edit").contains("data.PORT");
        assertThat(client.configMaps().inNamespace(ns.name()).withName("api-settings").get().getData())
                .containsEntry("PORT", "9000");

        assertThat(cluster.apply(configMap(ns, "8000"), true).action()).isEqualTo(Action.CONFIGURED);
        ConfigMap taken = client.configMaps().inNamespace(ns.name()).withName("api-settings").get();
        assertThat(taken.getData()).containsEntry("PORT", "8000");
        assertThat(taken.getMetadata().getManagedFields()).filteredOn(e -> e.getFieldsV1().toString().contains("f:PORT"))
                .extracting(ManagedFieldsEntry::getManager)
                .withFailMessage("a forced apply takes the field back").containsExactly(MANAGER);
    }

    @Test
    void aRefusedSecretsErrorNamesTheFieldAndNeverItsValue(KubernetesClient client, TestNamespace ns) {
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));

        // an unquoted number in stringData: the API server's typed-patch message quotes it back
        ChangeEntry refused = cluster.apply(resource("v1", "Secret", ns.name(), "db", """
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "%s"},
                 "stringData": {"password": 918273645546}}""".formatted(ns.name())), false);
        ChangeEntry invalid = cluster.apply(resource("v1", "Secret", ns.name(), "tls", """
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls", "namespace": "%s"},
                 "type": "kubernetes.io/tls", "stringData": {"tls.key": "private-key-material-77"}}""".formatted(ns.name())),
                false);

        ChangeEntry raw = cluster.apply(resource("v1", "Secret", ns.name(), "raw", """
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "raw", "namespace": "%s"},
                 "data": {"token": "not-base64-value-42!"}}""".formatted(ns.name())), false);

        assertThat(refused.action()).isEqualTo(Action.INVALID);
        assertThat(refused.detail()).contains("stringData.password").doesNotContain("918273645546");
        assertThat(invalid.action()).as("%s", invalid).isEqualTo(Action.INVALID);
        assertThat(invalid.detail()).doesNotContain("private-key-material-77");
        assertThat(raw.action()).as("refused at once, not retried as a server error").isEqualTo(Action.INVALID);
        assertThat(raw.detail()).contains("at data").doesNotContain("not-base64-value-42");
    }

    @Test
    void theApiServersVerdictsAreClassified(KubernetesClient client, TestNamespace ns) {
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));

        ChangeEntry invalid = cluster.apply(resource("v1", "Service", ns.name(), "api", """
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "%s"},
                 "spec": {"ports": [{"port": 70000}]}}""".formatted(ns.name())), false);
        assertThat(invalid.action()).isEqualTo(Action.INVALID);
        assertThat(invalid.detail()).contains("spec.ports[0].port").contains("70000");

        ChangeEntry misspelt = cluster.apply(resource("apps/v1", "Deployment", ns.name(), "web", """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "%s"},
                 "spec": {"replcas": 3, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                   "spec": {"containers": [{"name": "web", "image": "registry.treum.ai/web:1"}]}}}}"""
                .formatted(ns.name())), false);
        assertThat(misspelt.action()).withFailMessage("%s", misspelt).isEqualTo(Action.INVALID);
        assertThat(misspelt.detail()).contains("replcas");
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName("web").get()).isNull();

        ChangeEntry unserved = cluster.apply(resource("example.treum.ai/v1", "Widget", ns.name(), "w", """
                {"apiVersion": "example.treum.ai/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "%s"}}"""
                .formatted(ns.name())), false);
        assertThat(unserved.action()).isEqualTo(Action.FAILED);
        assertThat(unserved.detail()).isEqualTo("the cluster does not serve example.treum.ai/v1 Widget");

        // a name that is one path segment but not a URL-safe one (fabric8's own DSL cannot address it)
        String oddName = ns.name() + ":reader ?#1";
        ChangeEntry role = cluster.apply(resource("rbac.authorization.k8s.io/v1", "ClusterRole", null, oddName, """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                 "metadata": {"name": "%s", "labels": {"test": "%s"}},
                 "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}"""
                .formatted(oddName, ns.name())), false);
        try {
            assertThat(role.action()).withFailMessage("%s", role).isEqualTo(Action.CONFIGURED);
            assertThat(client.rbac().clusterRoles().withLabel("test", ns.name()).list().getItems())
                    .extracting(r -> r.getMetadata().getName()).containsExactly(oddName);
        } finally {
            client.rbac().clusterRoles().withLabel("test", ns.name()).delete();
        }

        String clusterScoped = ns.name() + "-scoped";
        ChangeEntry namespace = cluster.apply(resource("v1", "Namespace", null, clusterScoped, """
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "%s"}}""".formatted(clusterScoped)), false);
        try {
            assertThat(namespace.action()).isEqualTo(Action.CONFIGURED);
            assertThat(client.namespaces().withName(clusterScoped).get()).isNotNull();
        } finally {
            client.namespaces().withName(clusterScoped).delete();
        }
    }

    @Test
    void aDryRunAnswersWhatWouldBeStoredAndStoresNothing(KubernetesClient client, TestNamespace ns) {
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        DesiredResource settings = resource("v1", "ConfigMap", ns.name(), "dry-settings", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dry-settings", "namespace": "%s"},
                 "data": {"PORT": "8000"}}""".formatted(ns.name()));

        KubernetesCluster.DryRun dry = cluster.dryRunApply(settings, false);

        assertThat(dry.failure()).isNull();
        assertThat(dry.result().at("/data/PORT").asText()).isEqualTo("8000");
        assertThat(dry.result().at("/metadata/managedFields/0/manager").asText()).isEqualTo(MANAGER);
        assertThat(client.configMaps().inNamespace(ns.name()).withName("dry-settings").get()).isNull();
    }

    private static DesiredResource configMap(TestNamespace ns, String port) {
        return resource("v1", "ConfigMap", ns.name(), "api-settings", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "api-settings", "namespace": "%s"},
                 "data": {"PORT": "%s"}}""".formatted(ns.name(), port));
    }

    private static DesiredResource resource(String apiVersion, String kind, String namespace, String name, String json) {
        try {
            // stamped as the sync stamps what it applies: the environment label names the field manager
            return Ownership.stamp(new DesiredResource(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion,
                    (ObjectNode) JSON.readTree(json), new SourceLocation("kubernetes/objects.yaml", 1)), ENVIRONMENT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
