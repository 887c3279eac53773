package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.treum.gitops.adapter.kubernetes.ConfigMapHistoryStore;
import ai.treum.gitops.cli.HistoryCommand;
import ai.treum.gitops.cli.RollbackCommand;
import ai.treum.gitops.peers.ApiTokens;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.InventoryMarks;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.RolloutRepoResource;
import ai.treum.gitops.reconcile.History;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * A revision whose pods never become ready is rolled back by itself, with auto-sync on: the last
 * healthy revision comes back, the failed head is not applied again while Git stays on it, and
 * the next commit is synced as usual. A person can roll back to any revision too.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RolloutRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class RollbackTest {

    private static final String NS = RolloutRepoResource.NAMESPACE;
    private static KubernetesClient client;
    private static Path work;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(RolloutRepoResource.REPO_PROPERTY));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @TestHTTPResource("/")
    URL daemon;

    @Test
    @Order(1)
    void aFailedRolloutIsRolledBackAndStaysSoUntilGitMovesOn() throws Exception {
        String healthy = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> healthy.equals(marks().get("gitops.treum.ai/healthy-revision")));

        FixtureRepo.commit(work, "2.0 never gets ready", tree -> RolloutRepoResource.write(tree, "2.0", false));
        String failing = FixtureRepo.head(work);

        await().atMost(Duration.ofSeconds(60)).until(() -> failing.equals(marks().get("gitops.treum.ai/rolled-back-revision")));
        await().atMost(Duration.ofSeconds(30)).until(() -> "registry.treum.ai/web:1.0".equals(image())
                && "1.0".equals(version()));
        assertThat(deployment().getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("kwok.treum.ai/never-ready");
        JsonPath status = given().get("/api/v1/environments/rolling").then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("rollback.revision")).isEqualTo(failing);
        assertThat(status.getString("rollback.healthyRevision")).isEqualTo(healthy);
        assertThat(status.getString("rollback.reason")).contains("Deployment/" + NS + "/web");
        assertThat(status.getString("revision")).isEqualTo(healthy);
        assertThat(client.v1().events().inNamespace(NS).withField("involvedObject.name", "web").list().getItems())
                .anyMatch(e -> e.getReason().equals("RolledBack") && e.getMessage().startsWith("revision "
                        + failing.substring(0, 12) + " rolled back to " + healthy.substring(0, 12)));
        assertThat(given().accept("text/plain").get("/q/metrics").asString())
                .contains("treum_gitops_rollbacks_total{environment=\"rolling\",} 1.0");

        // Git still says 2.0: even a sync asked for now applies the healthy revision, not the failed head
        String before = given().get("/api/v1/environments/rolling").then().extract().path("lastSync.finishedAt");
        ApiTokens.asOperator().post("/api/v1/environments/rolling/sync").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath now = given().get("/api/v1/environments/rolling").then().extract().jsonPath();
            return "api".equals(now.getString("lastSync.trigger")) && !now.getString("lastSync.finishedAt").equals(before);
        });
        assertThat(given().get("/api/v1/environments/rolling").then().extract().<String>path("revision")).isEqualTo(healthy);
        assertThat(image()).isEqualTo("registry.treum.ai/web:1.0");

        FixtureRepo.commit(work, "3.0", tree -> RolloutRepoResource.write(tree, "3.0", true));
        String next = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:3.0".equals(image())
                && next.equals(marks().get("gitops.treum.ai/healthy-revision")));
    }

    @Test
    @Order(2)
    void aPersonRollsBackToAnyRevisionWithTheCommandLine() throws Exception {
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> head.equals(marks().get("gitops.treum.ai/healthy-revision")));
        ApiTokens.asOperator().post("/api/v1/environments/rolling/rollback").then().statusCode(409)
                .contentType("application/problem+json");
        ApiTokens.asOperator().post("/api/v1/environments/rolling/rollback?to=HEAD~1").then().statusCode(400);
        String first;
        try (Git git = Git.open(work.toFile())) {
            List<RevCommit> history = new ArrayList<>();
            git.log().call().forEach(history::add);
            first = history.get(history.size() - 1).getName();
        }

        Path token = ApiTokens.file(ApiTokens.operator());
        StringWriter out = new StringWriter();
        assertThat(new CommandLine(new RollbackCommand()).setOut(new PrintWriter(out))
                .execute("--env", "rolling", "--to", first, "--url", daemon.toURI().toString(), "--token-file",
                        token.toString())).isZero();
        assertThat(out.toString()).contains("rolling: " + head + " rolled back to " + first);
        await().atMost(Duration.ofSeconds(30)).until(() -> "registry.treum.ai/web:1.0".equals(image()));
        assertThat(given().get("/api/v1/environments/rolling").then().extract().jsonPath().getString("rollback.reason"))
                .isEqualTo("rolled back by hand by " + ApiTokens.user("treum-operator"));
        assertThat(new CommandLine(new RollbackCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--env", "qa", "--url", daemon.toURI().toString(), "--token-file", token.toString())).isEqualTo(1);

        FixtureRepo.commit(work, "4.0", tree -> RolloutRepoResource.write(tree, "4.0", true));
        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:4.0".equals(image()));
    }

    @Test
    @Order(3)
    void theHistoryKeepsEverySyncAndRollbackWhereARestartedDaemonReadsIt() throws Exception {
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/v1/environments/rolling/history?limit=100")
                .then().statusCode(200).extract().jsonPath().getList("records.revision").contains(head));
        JsonPath history = given().get("/api/v1/environments/rolling/history?limit=100").then().extract().jsonPath();
        List<Map<String, Object>> records = history.getList("records");
        assertThat(history.getString("unreadable")).isNull();
        assertThat(records).extracting(r -> r.get("finished").toString())
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(records).filteredOn(r -> r.get("kind").equals("ROLLBACK")).extracting(r -> r.get("trigger") + " "
                + r.get("user") + " " + r.get("result")).containsExactly(
                        "api " + ApiTokens.user("treum-operator") + " rolled-back", "rollout  rolled-back");
        assertThat(records).filteredOn(r -> r.get("trigger").equals("rollout")).singleElement()
                .satisfies(r -> assertThat(r.get("message").toString()).contains("rolled back to")
                        .contains("Deployment/" + NS + "/web"));
        assertThat(records).filteredOn(r -> r.get("kind").equals("SYNC") && r.get("trigger").equals("rollback"))
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> assertThat(r.get("result")).isEqualTo("synced"));
        assertThat(records).filteredOn(r -> r.get("revision").equals(head)).first()
                .satisfies(r -> assertThat(r.get("counts").toString()).contains("configured="));

        // a restarted daemon has nothing but what the cluster keeps
        var restarted = new History(new ConfigMapHistoryStore(client, "treum-gitops", e -> true), 100);
        assertThat(restarted.recent("rolling", 100).records()).extracting(r -> r.kind() + " " + r.revision() + " "
                + r.result()).containsExactlyElementsOf(records.stream().map(r -> r.get("kind") + " " + r.get("revision")
                        + " " + r.get("result")).toList());

        StringWriter text = new StringWriter();
        assertThat(new CommandLine(new HistoryCommand()).setOut(new PrintWriter(text))
                .execute("--env", "rolling", "--url", daemon.toURI().toString())).isZero();
        assertThat(text.toString()).startsWith("FINISHED").contains("rollback", head.substring(0, 12), "rolled-back");
        StringWriter yaml = new StringWriter();
        assertThat(new CommandLine(new HistoryCommand()).setOut(new PrintWriter(yaml))
                .execute("--env", "rolling", "--url", daemon.toURI().toString(), "-o", "yaml", "--limit", "3")).isZero();
        assertThat(yaml.toString()).startsWith("environment: rolling").contains("kind: SYNC");

        // a revision from the history, named by its first characters
        String synced = records.stream().filter(r -> r.get("kind").equals("SYNC") && r.get("result").equals("synced")
                && !r.get("revision").equals(head)).map(r -> r.get("revision").toString()).findFirst().orElseThrow();
        ApiTokens.asOperator().post("/api/v1/environments/rolling/rollback?to=" + synced.substring(0, 7) + "0")
                .then().statusCode(400).body("detail", containsString("recently synced: "
                        + head.substring(0, 12)));
        ApiTokens.asOperator().post("/api/v1/environments/rolling/rollback?to=" + synced.substring(0, 9))
                .then().statusCode(202).body("to", equalTo(synced));
    }

    private static Map<String, String> marks() {
        return InventoryMarks.of(client, "rolling");
    }

    private static Deployment deployment() {
        return client.apps().deployments().inNamespace(NS).withName("web").get();
    }

    private static String image() {
        Deployment web = deployment();
        return web == null ? null : web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static String version() {
        ConfigMap map = client.configMaps().inNamespace(NS).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }
}
