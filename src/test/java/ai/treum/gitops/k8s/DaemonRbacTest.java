package ai.treum.gitops.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import ai.treum.gitops.peers.CheckoutRepoResource;
import ai.treum.gitops.peers.DaemonAccountResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon with exactly what k8s/ grants it, as its own service account (a kubeconfig holding
 * only that account's token): it syncs the bundled environments from scratch, metrics-server's
 * cluster-wide objects included, and the writes the environment boundary forbids fail in the API
 * server too, by RBAC or by the admission policy.
 */
@QuarkusTest
@QuarkusTestResource(value = DaemonAccountResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CheckoutRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class DaemonRbacTest {

    private static KubernetesClient daemon;

    @BeforeAll
    static void connect() {
        daemon = DaemonAccountResource.accountClient();
    }

    @AfterAll
    static void disconnect() {
        daemon.close();
    }

    @Test
    void theDaemonSyncsTheBundledEnvironmentsWithItsOwnRolesOnly() {
        for (String env : new String[] {"staging", "production", "platform"}) {
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> given().get("/api/v1/environments/" + env)
                    .then().statusCode(200).body("syncStatus", equalTo("Synced")));
        }
        assertThat(daemon.apps().deployments().inNamespace("treum-staging").withName("treum-api").get())
                .as("created by the daemon's account, in a namespace it was bound in").isNotNull();
        assertThat(daemon.rbac().roles().inNamespace("treum-production").withName("treum-app").get())
                .as("a Role from Git, granting only what the daemon holds: no escalate needed").isNotNull();
        assertThat(daemon.namespaces().withName("treum-staging").get().getMetadata().getLabels())
                .as("the platform team's Namespace, adopted").containsEntry("gitops.treum.ai/environment", "staging");
        assertThat(daemon.apps().deployments().inNamespace("treum-platform").withName("metrics-server").get())
                .as("metrics-server, from its vendored chart").isNotNull();
        assertThat(daemon.rbac().roleBindings().inNamespace("kube-system").withName("metrics-server-auth-reader").get())
                .as("the one object in kube-system the daemon's configuration grants platform").isNotNull();
        assertThat(daemon.rbac().clusterRoles().withName("system:metrics-server").get().getRules())
                .as("a cluster role granting only what the daemon holds").isNotEmpty();
        assertThat(daemon.rbac().clusterRoleBindings().withName("metrics-server:system:auth-delegator").get()).isNotNull();
        assertThat(dryRun(apiService("treum-platform"))).as("the APIService, had the test cluster a metrics-server")
                .isNotNull();
    }

    @Test
    void metricsServersGrantsDoNotStretch() {
        // metrics-server's ClusterRole granting more than the daemon holds: RBAC's escalation check
        forbidden(() -> dryRun(yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: system:metrics-server}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
                """)));
        // other names: RBAC refuses applying them (a patch, limited by name); creating cannot be limited
        // by name in RBAC, so the admission policy refuses that
        GenericKubernetesResource planted = yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: planted}
                rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]
                """);
        forbidden(() -> dryRun(planted));
        refused(() -> daemon.resource(planted).dryRun().create(), "ClusterRoles are metrics-server's alone");
        GenericKubernetesResource plantedBinding = authReader("planted", "metrics-server", "treum-platform");
        forbidden(() -> dryRun(plantedBinding));
        refused(() -> daemon.resource(plantedBinding).dryRun().create(), "writes nothing in kube-system");
        // metrics-server's names, binding or served elsewhere: RBAC allows them, the admission policy does not
        refused(() -> dryRun(authReader("metrics-server-auth-reader", "treum-app", "treum-staging")),
                "but metrics-server's RoleBinding");
        refused(() -> dryRun(yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: metrics-server:system:auth-delegator}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:auth-delegator}
                subjects: [{kind: ServiceAccount, name: treum-app, namespace: treum-staging}]
                """)), "bind its service account alone");
        refused(() -> dryRun(apiService("treum-staging")), "served by treum-platform/metrics-server alone");
    }

    private static GenericKubernetesResource dryRun(GenericKubernetesResource object) {
        return daemon.resource(object).dryRun().fieldManager("treum-gitops").forceConflicts().serverSideApply();
    }

    private static GenericKubernetesResource yaml(String text) {
        return daemon.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource authReader(String name, String account, String namespace) {
        return yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s, namespace: kube-system}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
                subjects: [{kind: ServiceAccount, name: %s, namespace: %s}]
                """.formatted(name, account, namespace));
    }

    private static GenericKubernetesResource apiService(String namespace) {
        return yaml("""
                apiVersion: apiregistration.k8s.io/v1
                kind: APIService
                metadata: {name: v1beta1.metrics.k8s.io}
                spec:
                  group: metrics.k8s.io
                  version: v1beta1
                  groupPriorityMinimum: 100
                  versionPriority: 100
                  insecureSkipTLSVerify: true
                  service: {name: metrics-server, namespace: %s, port: 443}
                """.formatted(namespace));
    }

    @Test
    void rbacRefusesWritesOutsideTheEnvironmentsNamespaces() {
        forbidden(() -> daemon.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withName("planted").endMetadata().build()).create());
        forbidden(() -> daemon.secrets().inAnyNamespace().list());
        forbidden(() -> daemon.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("planted").endMetadata().build()).create());
        forbidden(() -> daemon.apps().deployments().inNamespace(DaemonAccountResource.NAMESPACE).resource(
                new DeploymentBuilder().withNewMetadata().withName("planted").endMetadata().withNewSpec()
                        .withNewSelector().addToMatchLabels("app", "planted").endSelector().withNewTemplate()
                        .withNewMetadata().addToLabels("app", "planted").endMetadata().withNewSpec().addNewContainer()
                        .withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build())
                .create());
        forbidden(() -> daemon.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("planted").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject().withKind("ServiceAccount").withName("treum-app").withNamespace("treum-staging").endSubject()
                .build()).create());
        // a Role granting more than the daemon holds: RBAC's escalation check, since the daemon has no escalate
        forbidden(() -> daemon.rbac().roles().inNamespace("treum-staging").resource(new RoleBuilder().withNewMetadata()
                .withName("planted").endMetadata().addNewRule().withApiGroups("").withResources("pods/exec")
                .withVerbs("create").endRule().build()).create());
    }

    @Test
    void theAdmissionPolicyRefusesWhatTheRolesWouldAllow() {
        // the roles let the daemon patch Namespaces (its environments') and make Secrets in an environment's namespace
        refused(() -> daemon.namespaces().withName("kube-system").edit(n -> {
            n.getMetadata().getLabels().put("planted", "true");
            return n;
        }), "the daemon writes nothing in kube-system");
        refused(() -> daemon.secrets().inNamespace("treum-staging").resource(new SecretBuilder().withNewMetadata()
                .withName("minted").addToAnnotations("kubernetes.io/service-account.name", "treum-app").endMetadata()
                .withType("kubernetes.io/service-account-token").build()).create(), "no service-account token Secret");
        refused(() -> daemon.namespaces().withName(DaemonAccountResource.NAMESPACE).edit(n -> {
            n.getMetadata().getLabels().put("planted", "true");
            return n;
        }), "denied request");
    }

    /** RBAC's answer: 403 Forbidden. */
    private static void forbidden(ThrowingCallable write) {
        assertThatThrownBy(write).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
    }

    /** The admission policy's: 422 Invalid, with the policy's name and message. */
    private static void refused(ThrowingCallable write, String message) {
        assertThatThrownBy(write).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            assertThat(e.getMessage()).contains("treum-gitops-boundary").contains(message);
        });
    }
}
