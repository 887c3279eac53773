package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.CheckoutRepoResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bundled staging environment's Secrets, delivered the ecosystem's way: its ExternalSecrets are
 * turned into Secrets by the real External Secrets Operator (built by scripts/test-peers.sh) from
 * moto's Secrets Manager, which holds {@code treum/staging/api} and the others as
 * scripts/seed-aws.py writes them; the migration hook starts only once they exist, and the
 * Deployments that read them become healthy.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CheckoutRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class ExternalSecretsTest {

    private static final String NAMESPACE = "treum-staging";

    @Test
    void aFreshStagingSyncGetsItsSecretsFromSecretsManagerAndBecomesHealthy() {
        // the environment as a whole stays short of HEALTHY here: its HPA has no metrics-server and its
        // Ingress no controller to give it an address; every Secret source and workload must be
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath status = given().get("/api/v1/environments/staging").jsonPath();
            assertThat(status.getString("syncStatus")).as(status.prettify()).isEqualTo("Synced");
            List<Map<String, String>> objects = status.getList("objects");
            assertThat(objects).as(status.prettify()).filteredOn(o -> o.get("object").matches(
                    "(Deployment|ExternalSecret|SecretStore)/.*")).hasSize(8)
                    .allSatisfy(o -> assertThat(o.get("health")).as(o.get("object")).isEqualTo("HEALTHY"));
        });

        try (KubernetesClient client = KubernetesPeer.adminClient()) {
            Secret api = client.secrets().inNamespace(NAMESPACE).withName("treum-api-secrets").get();
            assertThat(decoded(api, "database-url")).startsWith("postgresql://treum:");
            assertThat(decoded(api, "redis-url")).startsWith("redis://");
            assertThat(api.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("ExternalSecret"));
            assertThat(client.secrets().inNamespace(NAMESPACE).withName("treum-registry").get().getType())
                    .isEqualTo("kubernetes.io/dockerconfigjson");
            GenericKubernetesResource external = client.genericKubernetesResources("external-secrets.io/v1",
                    "ExternalSecret").inNamespace(NAMESPACE).withName("treum-api-secrets").get();
            assertThat(external.getMetadata().getLabels()).containsEntry("gitops.treum.ai/environment", "staging");

            Job migrate = client.batch().v1().jobs().inNamespace(NAMESPACE).withName("treum-api-migrate").get();
            assertThat(Instant.parse(migrate.getMetadata().getCreationTimestamp()))
                    .as("the migration hook was started once the Secrets it reads existed")
                    .isAfterOrEqualTo(Instant.parse(api.getMetadata().getCreationTimestamp()));
        }
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
