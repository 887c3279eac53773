package ai.treum.gitops.api;

import static ai.treum.gitops.peers.WebhookRepoResource.SECRET;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import ai.treum.gitops.core.webhook.Signatures;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.WebhookRepoResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Push webhooks end to end: a commit in the repository, a signed webhook, the touched environment
 * synced into the real kube-apiserver; and every way a webhook can be refused, changing nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class WebhookTest {

    private static KubernetesClient client;
    private static int version = 1;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void synced() {
        await().atMost(Duration.ofSeconds(60)).until(() -> value("hooked-a") != null && value("hooked-b") != null);
    }

    @Test
    void githubPushSyncsOnlyTheTouchedEnvironment() throws Exception {
        String before = given().get("/api/v1/environments/hooked-a").then().extract().path("lastSync.finishedAt");
        String next = commit("hooked-b");
        byte[] body = push("refs/heads/main", "environments/hooked-b/kubernetes/app.yaml");

        github("push", body, Signatures.sign(body, SECRET)).post("/webhooks/github").then()
                .statusCode(202)
                .body("queued", contains("hooked-b"));

        await().atMost(Duration.ofSeconds(20)).until(() -> next.equals(value("hooked-b")));
        assertThat(given().get("/api/v1/environments/hooked-a").then().extract().<String>path("lastSync.finishedAt"))
                .withFailMessage("hooked-a was not touched and must not resync").isEqualTo(before);
    }

    @Test
    void gitlabAndGenericPushesSyncToo() throws Exception {
        String next = commit("hooked-a");
        byte[] body = push("refs/heads/main", "environments/hooked-a/kubernetes/app.yaml");
        given().header("X-Gitlab-Token", SECRET).header("X-Gitlab-Event", "Push Hook")
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString()).body(body)
                .post("/webhooks/gitlab").then().statusCode(202).body("queued", contains("hooked-a"));
        await().atMost(Duration.ofSeconds(20)).until(() -> next.equals(value("hooked-a")));

        String third = commit("hooked-a");
        given().header("X-Signature", Signatures.sign(body, SECRET)).header("X-Delivery", UUID.randomUUID().toString())
                .body(body).post("/webhooks/generic").then().statusCode(202).body("queued", contains("hooked-a"));
        await().atMost(Duration.ofSeconds(20)).until(() -> third.equals(value("hooked-a")));
    }

    @Test
    void githubPingIsAnswered() {
        byte[] body = "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);
        github("ping", body, Signatures.sign(body, SECRET)).post("/webhooks/github").then()
                .statusCode(200).body("ping", equalTo("pong"));
    }

    @Test
    void aPushTouchingNoEnvironmentQueuesNothingAndItsReplayIsRefused() {
        String delivery = UUID.randomUUID().toString();
        byte[] untouched = push("refs/heads/main", "README.md");
        github("push", untouched, Signatures.sign(untouched, SECRET), delivery).post("/webhooks/github").then()
                .statusCode(202).body("queued", empty());
        // the same delivery again: a replay
        github("push", untouched, Signatures.sign(untouched, SECRET), delivery).post("/webhooks/github").then()
                .statusCode(409);
    }

    @Test
    void everyRefusedWebhookChangesNothing() throws Exception {
        // an earlier test's push may still have its fetch to come, which would find this commit
        awaitNoFetchPending();
        String pending = commit("hooked-b");
        String applied = value("hooked-b");
        String acceptedBefore = accepted();
        String fetchesBefore = fetches();
        byte[] body = push("refs/heads/main", "environments/hooked-b/kubernetes/app.yaml");
        String good = Signatures.sign(body, SECRET);

        github("push", body, Signatures.sign(body, "wrong-secret")).post("/webhooks/github").then()
                .statusCode(401).contentType("application/problem+json");
        github("push", body, null).post("/webhooks/github").then().statusCode(401);
        // a truncated body with the original signature
        github("push", Arrays.copyOf(body, body.length - 2), good).post("/webhooks/github").then().statusCode(401);
        given().header("X-Gitlab-Token", "nope").header("X-Gitlab-Event", "Push Hook").body(body)
                .post("/webhooks/gitlab").then().statusCode(401);
        // generic deliveries need an id, so replays can be refused
        given().header("X-Signature", good).body(body).post("/webhooks/generic").then().statusCode(401);

        byte[] malformed = "{\"ref\": \"refs/heads/main\", ".getBytes(StandardCharsets.UTF_8);
        github("push", malformed, Signatures.sign(malformed, SECRET)).post("/webhooks/github").then()
                .statusCode(400).contentType("application/problem+json");

        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        github("push", huge, Signatures.sign(huge, SECRET)).post("/webhooks/github").then().statusCode(413);

        github("issues", body, good).post("/webhooks/github").then().statusCode(202).body("queued", empty());

        byte[] otherBranch = push("refs/heads/feature", "environments/hooked-b/kubernetes/app.yaml");
        github("push", otherBranch, Signatures.sign(otherBranch, SECRET)).post("/webhooks/github").then()
                .statusCode(202).body("queued", empty());

        // only an accepted push asks for a fetch (WebhookReceiver counts it after asking): none was, none came
        assertThat(accepted()).isEqualTo(acceptedBefore);
        assertThat(fetches()).isEqualTo(fetchesBefore);
        assertThat(value("hooked-b")).withFailMessage("no refused webhook may sync the pending commit %s", pending)
                .isEqualTo(applied);
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        assertThat(metrics).contains("treum_gitops_webhook_requests_total{provider=\"github\",result=\"unauthorized\"")
                .contains("treum_gitops_webhook_requests_total{provider=\"github\",result=\"malformed\"")
                .contains("treum_gitops_webhook_requests_total{provider=\"gitlab\",result=\"unauthorized\"");
    }

    private static RequestSpecification github(String event, byte[] body, String signature) {
        return github(event, body, signature, UUID.randomUUID().toString());
    }

    private static RequestSpecification github(String event, byte[] body, String signature, String delivery) {
        RequestSpecification request = given().header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .contentType("application/json").body(body);
        return signature == null ? request : request.header("X-Hub-Signature-256", signature);
    }

    /** Until no fetch asked for by a push is pending (the daemon's git health check says so while one is). */
    private static void awaitNoFetchPending() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !given().get("/q/health").then().extract()
                .jsonPath().getString("checks.find { it.name == 'git' }.data.detail").contains("asked for by a push"));
    }

    private static String accepted() {
        return given().accept("text/plain").get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("treum_gitops_webhook_requests_total") && l.contains("result=\"accepted\""))
                .toList().toString();
    }

    private static String fetches() {
        return given().accept("text/plain").get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("treum_gitops_git_fetches_total")).toList().toString();
    }

    private static byte[] push(String ref, String path) {
        return ("{\"ref\":\"" + ref + "\",\"commits\":[{\"added\":[],\"modified\":[\"" + path + "\"],\"removed\":[]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Commits a new VERSION for an environment's ConfigMap and returns it. */
    private static synchronized String commit(String env) throws Exception {
        Path work = Path.of(System.getProperty(WebhookRepoResource.REPO_PROPERTY));
        String next = "v" + (++version + 1);
        FixtureRepo.commit(work, env + " " + next, tree -> WebhookRepoResource.write(tree, env, next));
        return next;
    }

    private static String value(String env) {
        var map = client.configMaps().inNamespace("webhook-" + env).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }
}
