package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.InventoryMarks;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.PromotionRepoResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Production ({@code spec.promotion: {from: staging, healthyFor: 3s}}) takes an image only once
 * staging has run that exact image healthy for the window, against the real API server with its
 * controllers and kwok's nodes; a revision staging rolled back never reaches production. Its first
 * sync, when it runs nothing yet, is not held.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PromotionRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class PromotionTest {

    private static KubernetesClient client;
    private static Path work;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(PromotionRepoResource.REPO_PROPERTY));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    @Order(1)
    void productionsFirstSyncIsNotHeldForItRunsNothingYet() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:1.0".equals(image(
                PromotionRepoResource.PRODUCTION)));
        // the history record follows the writes it describes
        await().atMost(Duration.ofSeconds(30)).until(() -> !history().isEmpty());
        assertThat(history()).noneMatch(m -> m != null && m.startsWith("waiting for staging: "));
    }

    @Test
    @Order(2)
    void productionFollowsOnceStagingHasRunTheImageHealthyForTheWindow() throws Exception {
        FixtureRepo.commit(work, "1.1", tree -> PromotionRepoResource.write(tree, "1.1", true));
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> head.equals(staging().get("gitops.treum.ai/healthy-revision")));
        Instant stagingHealthy = Instant.parse(staging().get("gitops.treum.ai/healthy-since"));

        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:1.1".equals(image(
                PromotionRepoResource.PRODUCTION)));
        Instant rolled = Instant.parse(replicaSet(PromotionRepoResource.PRODUCTION, "registry.treum.ai/web:1.1")
                .getMetadata().getCreationTimestamp());
        // the API server stamps whole seconds
        assertThat(rolled).isAfterOrEqualTo(stagingHealthy.plusSeconds(3).minusSeconds(1));
        assertThat(history()).anyMatch(m -> m != null && m.startsWith("waiting for staging: registry.treum.ai/web:1.1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().accept("text/plain").get("/q/metrics").asString()
                .contains("treum_gitops_promotion_pending{environment=\"production\",} 0.0"));
    }

    @Test
    @Order(3)
    void anImageStagingRolledBackNeverReachesProduction() throws Exception {
        FixtureRepo.commit(work, "2.0 never gets ready in staging", tree -> PromotionRepoResource.write(tree, "2.0", false));
        String failing = FixtureRepo.head(work);

        await().atMost(Duration.ofSeconds(60)).until(() -> failing.equals(staging().get("gitops.treum.ai/rolled-back-revision")));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/v1/environments/production").then().extract()
                .jsonPath().getList("lastSync.errors", String.class).stream()
                .anyMatch(e -> e.contains("(it rolled back " + failing.substring(0, 12) + ")")));
        JsonPath status = given().get("/api/v1/environments/production").then().extract().jsonPath();
        assertThat(status.getString("lastSync.result")).isEqualTo("Rejected");
        assertThat(status.getString("revision")).isEqualTo(failing);
        assertThat(status.getList("lastSync.errors", String.class)).containsExactly("waiting for staging: "
                + "registry.treum.ai/web:2.0 is not in its healthy revision " + staging().get(
                        "gitops.treum.ai/healthy-revision").substring(0, 12) + " (it rolled back " + failing.substring(0, 12) + ")");
        assertThat(image(PromotionRepoResource.PRODUCTION)).isEqualTo("registry.treum.ai/web:1.1");
        assertThat(given().accept("text/plain").get("/q/metrics").asString())
                .contains("treum_gitops_promotion_pending{environment=\"production\",} 1.0");

        FixtureRepo.commit(work, "3.0", tree -> PromotionRepoResource.write(tree, "3.0", true));
        String next = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> next.equals(staging().get("gitops.treum.ai/healthy-revision")));
        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:3.0".equals(image(
                PromotionRepoResource.PRODUCTION)));
    }

    private static List<String> history() {
        return given().get("/api/v1/environments/production/history?limit=100").then().statusCode(200).extract()
                .jsonPath().getList("records.message", String.class);
    }

    /** The ReplicaSet the Deployment made for an image: when production took it, not when it was first synced. */
    private static ReplicaSet replicaSet(String namespace, String image) {
        return client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .filter(rs -> image.equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> staging() {
        return InventoryMarks.of(client, "staging");
    }

    private static Deployment web(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("web").get();
    }

    private static String image(String namespace) {
        Deployment web = web(namespace);
        return web == null ? null : web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
