package ai.treum.gitops.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.core.policy.Subjects;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.peers.KubernetesPeer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon's own manifests (k8s/): the kustomization lists every file, the real kube-apiserver
 * accepts every object in a server-side dry run, the bundled policies pass on them, and the
 * ClusterRole grants no wildcard.
 */
@Tag("peer")
class DaemonManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<String> resources() throws Exception {
        List<String> files = new ArrayList<>();
        YAML.readTree(K8S.resolve("kustomization.yaml").toFile()).path("resources").forEach(r -> files.add(r.asText()));
        return files;
    }

    private static List<DesiredResource> objects() throws Exception {
        List<DesiredResource> objects = new ArrayList<>();
        for (String file : resources()) {
            objects.addAll(BundledPolicies.objects(K8S.resolve(file), null));
        }
        return objects;
    }

    @Test
    void theKustomizationListsEveryManifest() throws Exception {
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(resources()).containsExactlyInAnyOrderElementsOf(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
        }
    }

    @Test
    void theApiServerAcceptsEveryObjectInADryRun() throws Exception {
        try (KubernetesClient client = KubernetesPeer.adminClient()) {
            // a dry run of a namespaced object needs its namespace, and a ServiceMonitor its CRD
            for (DesiredResource namespace : objects().stream().filter(o -> o.key().kind().equals("Namespace")).toList()) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace.key().name())
                        .endMetadata().build()).fieldManager("daemon-manifests-test").serverSideApply();
            }
            client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata:
                      name: servicemonitors.monitoring.coreos.com
                    spec:
                      group: monitoring.coreos.com
                      scope: Namespaced
                      names: {plural: servicemonitors, kind: ServiceMonitor, singular: servicemonitor}
                      versions:
                        - name: v1
                          served: true
                          storage: true
                          schema:
                            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    """, CustomResourceDefinition.class)).fieldManager("daemon-manifests-test").serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName("servicemonitors.monitoring.coreos.com")
                    .waitUntilCondition(crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions()
                            .stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")),
                            60, TimeUnit.SECONDS);
            try {
                for (DesiredResource object : objects()) {
                    GenericKubernetesResource body = client.getKubernetesSerialization()
                            .convertValue(object.body(), GenericKubernetesResource.class);
                    var resources = client.genericKubernetesResources(object.apiVersion(), object.key().kind());
                    var target = object.key().clusterScoped() ? resources.resource(body)
                            : resources.inNamespace(object.key().namespace()).resource(body);
                    assertThat(target.dryRun().fieldManager("treum-gitops").serverSideApply()).as(object.toString())
                            .isNotNull();
                }
            } finally {
                client.apiextensions().v1().customResourceDefinitions().withName("servicemonitors.monitoring.coreos.com")
                        .delete();
            }
        }
    }

    @Test
    void theBundledPoliciesPassOnThem() throws Exception {
        // the environments' namespaces are made here and filled from environments/, their NetworkPolicies too
        List<DesiredResource> together = new ArrayList<>(objects());
        for (String env : List.of("staging", "production")) {
            together.addAll(BundledPolicies.objects(Path.of("environments", "base", "kubernetes", "50-network.yaml"),
                    "treum-" + env));
        }
        together.addAll(BundledPolicies.objects(Path.of("environments", "platform", "kubernetes", "network-policy.yaml"),
                "treum-platform"));
        assertThat(BundledPolicies.compiled().evaluate("production", Subjects.of(together)).findings()).isEmpty();
    }

    @Test
    void theRolesGrantNoWildcardNoEscalationAndNoSecretAcrossTheCluster() throws Exception {
        List<DesiredResource> roles = objects().stream().filter(o -> o.key().kind().endsWith("Role")).toList();
        assertThat(roles).isNotEmpty();
        for (DesiredResource role : roles) {
            role.body().path("rules").forEach(rule -> {
                assertThat(rule.path("verbs").toString()).as(role.key().toString()).doesNotContain("\"*\"", "escalate",
                        "bind", "impersonate");
                assertThat(rule.path("resources").toString()).as(role.key().toString()).doesNotContain("\"*\"");
                assertThat(rule.path("apiGroups").toString()).as(role.key().toString()).doesNotContain("\"*\"");
            });
        }
        // a ClusterRole bound across the cluster must not name Secrets; the one that does is bound per namespace
        List<String> boundClusterWide = objects().stream().filter(o -> o.key().kind().equals("ClusterRoleBinding"))
                .map(o -> o.body().path("roleRef").path("name").asText()).toList();
        assertThat(boundClusterWide).isNotEmpty();
        roles.stream().filter(r -> boundClusterWide.contains(r.key().name())).forEach(role -> role.body().path("rules")
                .forEach(rule -> assertThat(rule.path("resources")).as(role.key() + " is bound across the cluster")
                        .noneMatch(resource -> resource.asText().equals("secrets"))));
        assertThat(objects().stream().filter(o -> o.key().kind().equals("RoleBinding"))
                .map(o -> o.body().path("roleRef").path("name").asText())).contains("treum-gitops-environment");
    }
}
