package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import ai.treum.gitops.cli.StatusCommand;
import ai.treum.gitops.cli.SyncCommand;
import ai.treum.gitops.event.DriftFound;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.handler.ApplyHandler;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.peers.ApiTokens;
import ai.treum.gitops.peers.CheckoutRepoResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.PrometheusServer;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.model.SyncResult;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The daemon started against the real peers: health over them, and Prometheus metrics. */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CheckoutRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class DaemonEndpointsTest {

    @Test
    void healthIsUpWithTheClusterAndTheDesiredStateReachable() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health").then().statusCode(200));
        given().when().get("/q/health").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kubernetes", "git"))
                .body("checks.find { it.name == 'kubernetes' }.data.detail", containsString("v1.3"))
                .body("checks.find { it.name == 'kubernetes' }.data.detail", containsString("client certificate"))
                .body("checks.find { it.name == 'git' }.data.detail", containsString("platform, production, staging"));
    }

    @Test
    void peersGroupAlsoReportsTheAwsAccount() {
        given().when().get("/q/health/group/peers").then()
                .statusCode(200)
                .body("checks.name", hasItems("kubernetes", "git", "aws"))
                .body("checks.find { it.name == 'aws' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'aws' }.data.detail", startsWith("account 123456789012 in eu-west-1"));
    }

    @Test
    void theBundledEnvironmentsAreSyncedIntoTheClusterOnStart() {
        try (KubernetesClient client = KubernetesPeer.adminClient()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(client.apps().deployments().inNamespace("treum-production").withName("treum-api").get())
                        .isNotNull().extracting(d -> d.getSpec().getReplicas()).isEqualTo(3);
                assertThat(client.apps().deployments().inNamespace("treum-staging").withName("treum-api").get())
                        .isNotNull().extracting(d -> d.getSpec().getReplicas()).isEqualTo(1);
            });
            var production = client.apps().deployments().inNamespace("treum-production").withName("treum-api").get();
            assertThat(production.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "treum-gitops")
                    .containsEntry("gitops.treum.ai/environment", "production");
            assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("treum-production")
                    .withName("treum-api").get().getSpec().getMaxReplicas()).isEqualTo(20);
            assertThat(client.network().v1().networkPolicies().inNamespace("treum-production").list().getItems())
                    .hasSize(7);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.configMaps()
                    .inNamespace("treum-gitops").withName("treum-gitops-inventory-production").get()).isNotNull());
        }
    }

    @Inject
    ApplyHandler applyHandler;

    @Inject
    DesiredStateWatcher watcher;

    @Test
    void aRepeatedDiffEventIsHarmless() {
        await().atMost(Duration.ofSeconds(60)).until(() -> watcher.current().isPresent());
        DriftFound stale = new DriftFound("staging", watcher.current().orElseThrow(), Trigger.API,
                List.of(new ObjectDrift(new ResourceKey("", "ConfigMap", "treum-staging", "treum-api-config"),
                        List.of("an old, already applied diff"))), 0, true, Instant.now(), "", "");

        SyncFinished first = applyHandler.onDrift(stale);
        SyncFinished again = applyHandler.onDrift(stale);

        assertThat(List.of(first.result().outcome(), again.result().outcome())).containsOnly(SyncResult.Outcome.SYNCED);
        assertThat(again.result().writes()).withFailMessage("the handler recomputes from Git and the cluster; "
                + "a duplicate event must write nothing").isEmpty();
    }

    @Test
    void theStatusApiListsEveryEnvironmentWithItsRevisionSyncStatusAndHealth() {
        awaitHpaWithoutMetrics("production");
        awaitHpaWithoutMetrics("staging");
        // health is recomputed on an interval: an object just created may read MISSING until the next refresh
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/environments").then()
                .statusCode(200)
                .body("name", contains("platform", "production", "staging"))
                .body("syncStatus", everyItem(equalTo("Synced")))
                .body("revision", everyItem(matchesPattern("[0-9a-f]{40}")))
                .body("health", contains("HEALTHY", "DEGRADED", "DEGRADED")));
        // kube-controller-manager rolls the Deployments out on the kwok node
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/environments/production").then()
                .body("objects.find { it.object == 'Deployment/treum-production/treum-api' }.health", equalTo("HEALTHY")));
        given().when().get("/api/v1/environments/production").then()
                .statusCode(200)
                .body("name", equalTo("production"))
                .body("lastSync.result", equalTo("Synced"))
                .body("drift", empty())
                .body("policies", empty())
                .body("objects.find { it.object == 'ConfigMap/treum-production/treum-api-config' }.health", equalTo("HEALTHY"))
                .body("objects.find { it.object == 'Ingress/treum-production/treum' }.health", equalTo("PROGRESSING"));
    }

    @Test
    void anUnknownEnvironmentIsAProblemDocument() {
        given().when().get("/api/v1/environments/qa").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("no environment qa"))
                .body("instance", equalTo("/api/v1/environments/qa"));
        ApiTokens.asOperator().post("/api/v1/environments/qa/sync").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aSyncAskedThroughTheApiIsQueuedAndRuns() {
        awaitSynced("staging");
        ApiTokens.asOperator().post("/api/v1/environments/staging/sync").then()
                .statusCode(202)
                .body("environment", equalTo("staging"))
                .body("queued", equalTo(true))
                .body("user", equalTo(ApiTokens.user("treum-operator")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/v1/environments/staging")
                .then().body("lastSync.trigger", equalTo("api")).body("lastSync.result", equalTo("Synced"))
                .body("lastSync.user", equalTo(ApiTokens.user("treum-operator"))));
    }

    @TestHTTPResource("/")
    URL daemon;

    @Test
    void prometheusScrapesTheSyncMetrics(@TempDir Path tmp) throws Exception {
        awaitHpaWithoutMetrics("production");
        try (PrometheusServer prometheus = PrometheusServer.scraping(daemon.getHost() + ":" + daemon.getPort(), tmp)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode info = prometheus.query("treum_gitops_environment_info{environment=\"production\"}");
                assertThat(info).hasSize(1);
                assertThat(info.get(0).path("metric").path("sync_status").asText()).isEqualTo("synced");
                assertThat(info.get(0).path("metric").path("health_status").asText()).isEqualTo("degraded");
                assertThat(info.get(0).path("metric").path("revision").asText()).matches("[0-9a-f]{40}");
                assertThat(info.get(0).path("value").get(1).asText()).isEqualTo("1");
            });
            assertThat(prometheus.query("sum(treum_gitops_sync_total{environment=\"production\",result=\"synced\"})")
                    .get(0).path("value").get(1).asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(prometheus.query("treum_gitops_reconcile_duration_seconds_count{environment=\"staging\"}")
                    .get(0).path("value").get(1).asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(prometheus.query("treum_gitops_reconcile_duration_seconds_bucket{environment=\"staging\"}"))
                    .withFailMessage("the duration is a histogram").isNotEmpty();
            assertThat(prometheus.query("time() - treum_gitops_last_successful_sync_timestamp_seconds{environment=\"production\"}")
                    .get(0).path("value").get(1).asDouble()).isBetween(0.0, 600.0);
            assertThat(prometheus.query("treum_gitops_drift_seconds{environment=\"production\"}")
                    .get(0).path("value").get(1).asDouble()).isZero();
            // the bundled AWS resources do not exist in this test's moto_server, so only Kubernetes is in sync
            assertThat(prometheus.query("treum_gitops_drift_resources{source=\"kubernetes\"}")).isEmpty();
            assertThat(prometheus.query("treum_gitops_drift_resources{environment=\"production\",source=\"aws\","
                    + "kind=\"RdsInstance\"}").get(0).path("value").get(1).asInt()).isEqualTo(1);
        }
    }

    @Test
    void theStatusAndSyncCommandsTalkToTheRunningDaemon() throws Exception {
        awaitHpaWithoutMetrics("production");
        awaitSynced("staging");
        // health is recomputed on an interval: an object just created may read MISSING until the next refresh
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StringWriter out = new StringWriter();
            int status = new CommandLine(new StatusCommand()).setOut(new PrintWriter(out))
                    .execute("--url", daemon.toURI().toString());
            assertThat(status).withFailMessage(out.toString()).isZero();
            assertThat(out.toString()).contains("ENVIRONMENT").containsPattern("production\\s+Synced\\s+DEGRADED")
                    .containsPattern("staging\\s+Synced");
        });

        Path token = ApiTokens.file(ApiTokens.operator());
        StringWriter queued = new StringWriter();
        assertThat(new CommandLine(new SyncCommand()).setOut(new PrintWriter(queued))
                .execute("--env", "staging", "--url", daemon.toURI().toString(), "--token-file", token.toString())).isZero();
        assertThat(queued.toString()).contains("sync of staging queued");
        assertThat(new CommandLine(new SyncCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--env", "qa", "--url", daemon.toURI().toString(), "--token-file", token.toString())).isEqualTo(1);
        // the test JVM's kubeconfig authenticates by client certificate: no token to send, and the command says how to give one
        StringWriter refused = new StringWriter();
        assertThat(new CommandLine(new SyncCommand()).setErr(new PrintWriter(refused))
                .execute("--env", "staging", "--url", daemon.toURI().toString())).isEqualTo(2);
        assertThat(refused.toString()).contains("no bearer token").contains("--token-file");
        assertThat(new CommandLine(new StatusCommand()).setErr(new PrintWriter(new StringWriter()))
                .execute("--url", "http://127.0.0.1:1")).isEqualTo(2);
    }

    /**
     * Synced, and its HPA has been read: the test cluster serves no metrics API (the test checkout
     * leaves out platform's APIService, as no metrics-server can run here), so once the HPA
     * controller has tried, the HPA and its environment are DEGRADED and stay so. The Ingress, with
     * no ingress controller here, stays PROGRESSING.
     */
    private static void awaitHpaWithoutMetrics(String environment) {
        awaitSynced(environment);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/environments/" + environment)
                .then().body("objects.find { it.object == 'HorizontalPodAutoscaler/treum-" + environment
                        + "/treum-api' }.message", containsString("pods.metrics.k8s.io")));
    }

    private static void awaitSynced(String environment) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().when().get("/api/v1/environments/" + environment)
                .then().statusCode(200).body("syncStatus", equalTo("Synced")));
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        given().accept("text/plain").when().get("/q/metrics").then()
                .statusCode(200)
                .contentType(containsString("text/plain; version=0.0.4"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
