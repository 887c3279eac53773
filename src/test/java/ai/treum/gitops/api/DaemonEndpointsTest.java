package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import ai.treum.gitops.peers.LocalPeersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The daemon started against the real peers: health over them, and Prometheus metrics. */
@QuarkusTest
@QuarkusTestResource(LocalPeersResource.class)
class DaemonEndpointsTest {

    @Test
    void healthIsUpWithTheClusterAndTheDesiredStateReachable() {
        given().when().get("/q/health").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kubernetes", "desired-state"))
                .body("checks.find { it.name == 'kubernetes' }.data.detail", containsString("v1.3"))
                .body("checks.find { it.name == 'kubernetes' }.data.detail", containsString("client certificate"))
                .body("checks.find { it.name == 'desired-state' }.data.detail", containsString("production, staging"));
    }

    @Test
    void peersGroupAlsoReportsTheAwsAccount() {
        given().when().get("/q/health/group/peers").then()
                .statusCode(200)
                .body("checks.name", hasItems("kubernetes", "desired-state", "aws"))
                .body("checks.find { it.name == 'aws' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'aws' }.data.detail", startsWith("account 123456789012 in eu-west-1"));
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        given().accept("text/plain").when().get("/q/metrics").then()
                .statusCode(200)
                .contentType(containsString("text/plain; version=0.0.4"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
