package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.adapter.aws.AwsClients;
import ai.treum.gitops.peers.AwsRepoResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.MotoPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon keeping AWS as Git says, end to end against moto_server: a hand change to an
 * allow-listed field is put back within the environment's interval, one that needs a person is
 * reported, and both show in the status API, the metrics and Events.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AwsRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class AwsDriftTest {

    private static final String REGION = "us-east-1";
    private static AwsClients aws;
    private static KubernetesClient kubernetes;

    @BeforeAll
    static void resourcesExistAsDeclared() throws Exception {
        MotoPeer.reset(LocalPeers.get().motoUrl());
        aws = new AwsClients(Optional.of(REGION), Optional.of(LocalPeers.get().motoUrl()));
        kubernetes = KubernetesPeer.adminClient();
        try (var rds = aws.rds(REGION); var secrets = aws.secretsManager(REGION)) {
            rds.createDBInstance(c -> c.dbInstanceIdentifier("cloud-db").engine("postgres").dbInstanceClass("db.t3.large")
                    .allocatedStorage(100).multiAZ(true).masterUsername("treum").masterUserPassword("not-a-real-password"));
            secrets.createSecret(c -> c.name("cloud/api").description("the API's credentials").secretString("s3cr3t-value"));
        }
    }

    @AfterAll
    static void close() {
        aws.close();
        kubernetes.close();
    }

    @Test
    void aHandChangeIsPutBackAndOneThatNeedsAPersonIsReported() {
        await().atMost(Duration.ofSeconds(30)).until(() -> status().getString("aws.checkedAt") != null
                && status().getList("aws.drift").isEmpty());

        try (var rds = aws.rds(REGION); var secrets = aws.secretsManager(REGION)) {
            rds.modifyDBInstance(m -> m.dbInstanceIdentifier("cloud-db").dbInstanceClass("db.t3.xlarge").applyImmediately(true));
            secrets.updateSecret(u -> u.secretId("cloud/api").description("edited in the console"));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> status().getList("aws.changes", String.class).stream()
                .anyMatch(c -> c.startsWith("RdsInstance/cloud-db: ModifyDBInstance [instanceClass]")));
        try (var rds = aws.rds(REGION)) {
            assertThat(rds.describeDBInstances(d -> d.dbInstanceIdentifier("cloud-db")).dbInstances().get(0)
                    .dbInstanceClass()).isEqualTo("db.t3.large");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath status = status();
            assertThat(status.getBoolean("aws.enforced")).isTrue();
            assertThat(status.getList("aws.drift", String.class)).containsExactly(
                    "SecretsManagerSecret/cloud/api: spec.description is edited in the console in AWS, the API's credentials "
                            + "in Git (manual action needed: changing description replaces the resource or is not on the "
                            + "allow-list)");
            assertThat(metrics()).contains(
                    "treum_gitops_drift_resources{environment=\"cloud\",kind=\"SecretsManagerSecret\",source=\"aws\",} 1.0",
                    "treum_gitops_aws_api_calls_total{operation=\"ModifyDBInstance\",result=\"success\",service=\"rds\",} 1.0",
                    "treum_gitops_aws_api_calls_total{operation=\"DescribeDBInstances\",result=\"success\",service=\"rds\",}");
        });
        // events on a cluster-scoped object (here the environment's Namespace) live in default, as kubectl's do
        List<String> reasons = kubernetes.v1().events().inNamespace("default")
                .withField("involvedObject.name", AwsRepoResource.NAMESPACE).list().getItems().stream()
                .map(e -> e.getReason()).toList();
        assertThat(reasons).contains("AwsDriftDetected", "AwsChanged", "AwsManualActionNeeded");
        assertThat(metrics() + status().prettify()).doesNotContain("s3cr3t-value");
    }

    private static JsonPath status() {
        return given().get("/api/v1/environments/cloud").then().statusCode(200).extract().jsonPath();
    }

    private static String metrics() {
        return given().accept("text/plain").get("/q/metrics").asString();
    }
}
