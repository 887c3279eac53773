package ai.treum.gitops.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import ai.treum.gitops.peers.CheckoutRepoResource;
import ai.treum.gitops.peers.DaemonAccountResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
 * only that account's token): it syncs both bundled environments from scratch, and the writes
 * the environment boundary forbids fail in the API server too, by RBAC or by the admission policy.
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
    void theDaemonSyncsBothBundledEnvironmentsWithItsOwnRolesOnly() {
        for (String env : new String[] {"staging", "production"}) {
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> given().get("/api/v1/environments/" + env)
                    .then().statusCode(200).body("syncStatus", equalTo("Synced")));
        }
        assertThat(daemon.apps().deployments().inNamespace("treum-staging").withName("treum-api").get())
                .as("created by the daemon's account, in a namespace it was bound in").isNotNull();
        assertThat(daemon.rbac().roles().inNamespace("treum-production").withName("treum-app").get())
                .as("a Role from Git, granting only what the daemon holds: no escalate needed").isNotNull();
        assertThat(daemon.namespaces().withName("treum-staging").get().getMetadata().getLabels())
                .as("the platform team's Namespace, adopted").containsEntry("gitops.treum.ai/environment", "staging");
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
