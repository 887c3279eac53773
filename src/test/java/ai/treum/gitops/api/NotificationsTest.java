package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.webhook.Signatures;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.InventoryMarks;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.NotificationRepoResource;
import ai.treum.gitops.peers.NotificationSink;
import ai.treum.gitops.peers.NotificationSink.Received;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Notifications to a loopback sink standing in for Slack, a webhook receiver and the GitHub API:
 * commit statuses follow a revision from pending to success or failure, and a rollback is told
 * once to each target that asked for it, retried past a receiver that is down.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NotificationRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class NotificationsTest {

    private static KubernetesClient client;
    private static String healthy;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    @Order(1)
    void aRevisionThatBecomesHealthyIsPendingThenSuccessOnItsCommit() throws Exception {
        healthy = FixtureRepo.head(NotificationRepoResource.repository());
        await().atMost(Duration.ofSeconds(90)).until(() -> states(healthy).contains("success"));

        assertThat(states(healthy)).containsExactly("pending", "success");
        Received success = statuses(healthy).get(1);
        JsonPath body = JsonPath.from(success.body());
        assertThat(body.getString("context")).isEqualTo("treum-gitops/notified");
        assertThat(body.getString("description")).startsWith("Healthy: revision " + healthy.substring(0, 12));
        assertThat(success.header("Authorization")).isEqualTo("Bearer ghs_test_token");
        assertThat(sink().received("/slack/")).as("Slack asked for rollbacks only").isEmpty();
    }

    @Test
    @Order(2)
    void aFailingPostSyncHookIsToldOnceAsRolledBackAndFailsItsCommit() throws Exception {
        FixtureRepo.commit(NotificationRepoResource.repository(), "notified 2.0, smoke test fails",
                tree -> NotificationRepoResource.write(tree, "2.0", false));
        String failing = FixtureRepo.head(NotificationRepoResource.repository());
        await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(InventoryMarks.of(client, "notified")
                .get("gitops.treum.ai/rolled-back-revision")));
        Instant rolledBack = Instant.now();

        await().atMost(Duration.ofSeconds(10)).until(() -> !sink().received("/slack/").isEmpty());
        Instant told = sink().received("/slack/").get(0).at();
        await().atMost(Duration.ofSeconds(10)).until(() -> states(failing).contains("failure"));
        // anything told twice would arrive within these 3 s: retries are 200 ms apart
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> sink().received("/slack/").size() == 1);

        List<Received> slack = sink().received("/slack/");
        assertThat(Duration.between(rolledBack, told)).isLessThan(Duration.ofSeconds(10));
        assertThat(JsonPath.from(slack.get(0).body()).getString("text"))
                .startsWith("[notified] RolledBack at " + failing.substring(0, 12) + ": revision " + failing.substring(0, 12)
                        + " rolled back to " + healthy.substring(0, 12) + ": post-sync hook Job/"
                        + NotificationRepoResource.NAMESPACE + "/smoke failed");

        List<Received> webhook = sink().received(NotificationSink.WEBHOOK_PATH);
        assertThat(webhook).extracting(Received::status).as("refused twice, then taken once").containsExactly(503, 503, 200);
        Received delivered = webhook.get(2);
        assertThat(Signatures.validHmac(delivered.header("X-Treum-Signature-256"),
                delivered.body().getBytes(StandardCharsets.UTF_8), NotificationRepoResource.HMAC_KEY)).isTrue();
        assertThat(JsonPath.from(delivered.body()).getString("reason")).isEqualTo("RolledBack");
        assertThat(JsonPath.from(delivered.body()).getString("revision")).isEqualTo(failing);

        assertThat(states(failing)).containsExactly("pending", "failure");
        assertThat(states(healthy)).as("the rollback to it does not make it pending again").containsExactly("pending",
                "success");
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("treum_gitops_notifications_total{environment=\"notified\",result=\"sent\","
                + "target=\"audit\"} 1.0");
        assertThat(metrics).doesNotContain("ghs_test_token").doesNotContain("/slack/T000");
    }

    private static NotificationSink sink() {
        return NotificationRepoResource.sink();
    }

    private static List<Received> statuses(String sha) {
        return sink().received("/github/repos/treum/infra/statuses/" + sha);
    }

    private static List<String> states(String sha) {
        return statuses(sha).stream().map(r -> JsonPath.from(r.body()).getString("state")).toList();
    }
}
