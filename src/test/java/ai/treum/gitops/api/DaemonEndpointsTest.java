package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.event.DriftFound;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.handler.ApplyHandler;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.SyncResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import java.util.List;
import java.time.Duration;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The daemon started against the real peers: health over them, and Prometheus metrics. */
@QuarkusTest
@QuarkusTestResource(LocalPeersResource.class)
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
                .body("checks.find { it.name == 'git' }.data.detail", containsString("production, staging"));
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
                    .hasSize(4);
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
                List.of("an old, already applied diff"), 0, true);

        SyncFinished first = applyHandler.onDrift(stale);
        SyncFinished again = applyHandler.onDrift(stale);

        assertThat(List.of(first.result().outcome(), again.result().outcome())).containsOnly(SyncResult.Outcome.SYNCED);
        assertThat(again.result().writes()).withFailMessage("the handler recomputes from Git and the cluster; "
                + "a duplicate event must write nothing").isEmpty();
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        given().accept("text/plain").when().get("/q/metrics").then()
                .statusCode(200)
                .contentType(containsString("text/plain; version=0.0.4"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
