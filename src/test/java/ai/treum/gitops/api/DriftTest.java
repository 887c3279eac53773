package ai.treum.gitops.api;

import static ai.treum.gitops.peers.DriftRepoResource.HEALING;
import static ai.treum.gitops.peers.DriftRepoResource.WATCHING;
import static ai.treum.gitops.peers.DriftRepoResource.namespace;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import ai.treum.gitops.peers.DriftRepoResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.PrometheusServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand edits, deletions and scaling of managed objects, seen through the live watch: healed where
 * the environment self-heals, reported (status, events, metrics in a real Prometheus) where not.
 * Time limits here are generous on purpose: latency is measured by scripts/benchmark.sh.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DriftRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class DriftTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static KubernetesClient client;

    @TestHTTPResource("/")
    URL daemon;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void bothEnvironmentsSynced() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String env : List.of(HEALING, WATCHING)) {
                given().get("/api/v1/environments/" + env).then().statusCode(200).body("syncStatus", equalTo("Synced"));
            }
        });
    }

    @Test
    void aScaledDeploymentIsScaledBackWithSelfHeal() {
        client.apps().deployments().inNamespace(namespace(HEALING)).withName("web").scale(5);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(replicas(HEALING)).isEqualTo(2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(events(HEALING, "web"))
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("DriftHealed");
                    assertThat(e.getMessage()).startsWith("restored to revision ");
                }));
    }

    @Test
    void anEditedConfigMapIsRestoredWithSelfHeal() {
        client.configMaps().inNamespace(namespace(HEALING)).withName("settings")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("MODE", "green").build());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.configMaps().inNamespace(namespace(HEALING))
                .withName("settings").get().getData()).containsEntry("MODE", "blue"));
    }

    @Test
    void aDeletedObjectIsRecreatedWithSelfHeal() {
        client.configMaps().inNamespace(namespace(HEALING)).withName("settings").delete();
        await().atMost(PATIENCE).until(() -> client.configMaps().inNamespace(namespace(HEALING)).withName("settings")
                .get() == null || client.configMaps().inNamespace(namespace(HEALING)).withName("settings").get()
                        .getMetadata().getDeletionTimestamp() == null);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.configMaps().inNamespace(namespace(HEALING))
                .withName("settings").get()).isNotNull());
    }

    @Test
    void withoutSelfHealDriftStaysAndIsReportedInStatusEventsAndPrometheus(@TempDir Path tmp) throws Exception {
        client.apps().deployments().inNamespace(namespace(WATCHING)).withName("web").scale(5);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/environments/" + WATCHING).then()
                .body("syncStatus", equalTo("OutOfSync"))
                .body("driftCount", equalTo(1))
                .body("drift[0].object", equalTo("Deployment/drift-watching/web"))
                .body("drift[0].differences", hasItem("Deployment/drift-watching/web spec.replicas: 5 -> 2")));
        assertThat(replicas(WATCHING)).withFailMessage("without self-heal the hand edit stays").isEqualTo(5);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(events(WATCHING, "web"))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("DriftDetected")));

        try (PrometheusServer prometheus = PrometheusServer.scraping(daemon.getHost() + ":" + daemon.getPort(), tmp)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var drift = prometheus.query("treum_gitops_drift_resources{environment=\"watching\"}");
                assertThat(drift).hasSize(1);
                assertThat(drift.get(0).path("metric").path("kind").asText()).isEqualTo("Deployment");
                assertThat(drift.get(0).path("metric").path("source").asText()).isEqualTo("kubernetes");
                assertThat(drift.get(0).path("value").get(1).asText()).isEqualTo("1");
                assertThat(prometheus.query("treum_gitops_drift_seconds{environment=\"watching\"}").get(0)
                        .path("value").get(1).asDouble()).isGreaterThan(0);
                assertThat(prometheus.query("treum_gitops_environment_info{environment=\"watching\"}").get(0)
                        .path("metric").path("sync_status").asText()).isEqualTo("out_of_sync");
            });
        }

        client.apps().deployments().inNamespace(namespace(WATCHING)).withName("web").scale(2);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/environments/" + WATCHING).then()
                .body("syncStatus", equalTo("Synced")).body("driftCount", equalTo(0)));
    }

    @Test
    void secretValuesNeverReachTheStatusApiEventsOrMetrics() {
        String handEdited = Base64.getEncoder().encodeToString("hand-edited-value-9c3d".getBytes(StandardCharsets.UTF_8));
        client.secrets().inNamespace(namespace(WATCHING)).withName("credentials")
                .edit(s -> new SecretBuilder(s).addToData("password", handEdited).build());

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/environments/" + WATCHING).then()
                .body("drift.object", hasItem("Secret/drift-watching/credentials")));
        String status = given().get("/api/v1/environments/" + WATCHING).asString();
        assertThat(status).contains("Secret/drift-watching/credentials data.password: *** -> ***");
        String declared = Base64.getEncoder()
                .encodeToString(DriftRepoResource.DECLARED_PASSWORD.getBytes(StandardCharsets.UTF_8));
        for (String text : List.of(status, given().get("/api/v1/environments").asString(),
                given().accept("text/plain").get("/q/metrics").asString(),
                events(WATCHING, "credentials").toString())) {
            assertThat(text).doesNotContain(handEdited).doesNotContain(declared)
                    .doesNotContain("hand-edited-value-9c3d").doesNotContain(DriftRepoResource.DECLARED_PASSWORD);
        }

        client.secrets().inNamespace(namespace(WATCHING)).withName("credentials")
                .edit(s -> new SecretBuilder(s).addToData("password", declared).build());
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/environments/" + WATCHING).then()
                .body("driftCount", equalTo(0)));
    }

    @Test
    void aFieldAnotherManagerOwnsIsNotDrift() {
        client.configMaps().inNamespace(namespace(WATCHING)).withName("settings").edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().addToAnnotations("team", "payments").endMetadata().build());

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/environments/" + WATCHING).then()
                .body("lastSync.trigger", equalTo("drift")));
        given().get("/api/v1/environments/" + WATCHING).then().body("syncStatus", equalTo("Synced"))
                .body("driftCount", equalTo(0));
        assertThat(client.configMaps().inNamespace(namespace(WATCHING)).withName("settings").get().getMetadata()
                .getAnnotations()).containsEntry("team", "payments");
    }

    private static int replicas(String env) {
        return client.apps().deployments().inNamespace(namespace(env)).withName("web").get().getSpec().getReplicas();
    }

    private static List<Event> events(String env, String name) {
        return client.v1().events().inNamespace(namespace(env)).withField("involvedObject.name", name).list().getItems();
    }
}
