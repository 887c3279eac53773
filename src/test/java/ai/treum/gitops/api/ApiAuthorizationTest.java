package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import ai.treum.gitops.peers.AccessRepoResource;
import ai.treum.gitops.peers.ApiTokens;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The API's trust boundary against a real kube-apiserver with RBAC: every token is a real
 * service account's, reviewed by TokenReview and SubjectAccessReview. Nobody syncs or rolls back
 * without the verb; a cross-site style POST is refused before anything else; a rollback names
 * only a revision the environment synced, and meets the policies of Git's head.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AccessRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class ApiAuthorizationTest {

    private static final String NS = AccessRepoResource.NAMESPACE;
    private static final String SYNC = "/api/v1/environments/guarded/sync";
    private static final String ROLLBACK = "/api/v1/environments/guarded/rollback";
    private static KubernetesClient client;
    private static Path work;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(AccessRepoResource.REPO_PROPERTY));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    @Order(1)
    void nobodyWithoutTheVerbSyncsAndReadsNeedAToken() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(ApiTokens.reader()).get("/api/v1/environments/guarded")
                .then().statusCode(200).body("syncStatus", equalTo("OutOfSync")));

        given().get("/api/v1/environments").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().get("/").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-token").get("/api/v1/environments").then().statusCode(401);
        as(ApiTokens.reader()).get("/").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);

        json(null).post(SYNC).then().statusCode(401).contentType("application/problem+json");
        json(ApiTokens.reader()).post(SYNC).then().statusCode(403)
                .body("detail", containsString(ApiTokens.user("treum-reader") + " may not sync environments/guarded"));
        json("not-a-token").post(SYNC).then().statusCode(401);
        as(ApiTokens.operator()).contentType("text/plain").body("{}").post(SYNC).then().statusCode(415);
        as(ApiTokens.operator()).contentType("application/x-www-form-urlencoded").formParam("a", "b").post(SYNC)
                .then().statusCode(415);
        as(ApiTokens.operator()).post(SYNC).then().statusCode(415);

        assertThat(settings()).as("auto-sync is off and no permitted caller asked: nothing is applied").isNull();
    }

    @Test
    @Order(2)
    void aPermittedCallerSyncsAManualEnvironmentAndIsRecorded() {
        String operator = ApiTokens.user("treum-operator");
        json(ApiTokens.operator()).post(SYNC).then().statusCode(202).body("user", equalTo(operator));

        await().atMost(Duration.ofSeconds(60)).until(() -> settings() != null && "v1".equals(settings().getData().get("VERSION")));
        // the status API's lastSync.user is checked by DaemonEndpointsTest; here a follow-up sync may come after
        await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .map(Event::getMessage).anyMatch(m -> m.contains("asked by " + operator)));
    }

    @Test
    @Order(3)
    void aRollbackNamesOnlyARevisionSyncedBeforeAndMeetsTheHeadsPolicies() throws Exception {
        String synced = FixtureRepo.head(work);
        FixtureRepo.commit(work, "v2, never synced", tree -> AccessRepoResource.write(tree, "v2"));
        String neverSynced = FixtureRepo.head(work);
        FixtureRepo.commit(work, "v3: v1 is retired", tree -> {
            AccessRepoResource.retireVersionOne(tree);
            AccessRepoResource.write(tree, "v3");
        });
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ApiTokens.reader())
                .get("/api/v1/environments/guarded").then().body("revision", equalTo(head)));
        json(ApiTokens.operator()).post(SYNC).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> "v3".equals(settings().getData().get("VERSION")));

        json(ApiTokens.reader()).post(ROLLBACK + "?to=" + synced).then().statusCode(403);
        json(ApiTokens.operator()).post(ROLLBACK + "?to=" + neverSynced).then().statusCode(400)
                .body("detail", containsString("synced before"));
        json(ApiTokens.operator()).post(ROLLBACK + "?to=" + synced).then().statusCode(422)
                .body("detail", containsString("retired-version")).body("detail", containsString("version v1 is retired"));

        assertThat(settings().getData().get("VERSION")).as("a refused rollback changes nothing").isEqualTo("v3");
        as(ApiTokens.reader()).get("/api/v1/environments/guarded").then().body("rollback", equalTo(null));
    }

    @Test
    @Order(4)
    void aRevisionReachingOutsideItsEnvironmentIsRefusedWholeEvenWhenAPermittedCallerAsks() throws Exception {
        FixtureRepo.commit(work, "v4, and a Lease in the daemon's namespace", tree -> {
            AccessRepoResource.write(tree, "v4");
            Files.writeString(tree.resolve("environments/guarded/kubernetes/lease.yaml"), """
                    apiVersion: coordination.k8s.io/v1
                    kind: Lease
                    metadata:
                      name: treum-gitops-shard-0
                      namespace: treum-gitops
                    spec:
                      holderIdentity: guarded
                    """);
        });
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ApiTokens.reader())
                .get("/api/v1/environments/guarded").then().body("revision", equalTo(head)));

        json(ApiTokens.operator()).post(SYNC).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ApiTokens.reader())
                .get("/api/v1/environments/guarded").then().body("syncStatus", equalTo("Rejected"))
                .body("lastSync.errors[0]", startsWith("environments/guarded/kubernetes/lease.yaml:1: reserved-namespace: "
                        + "Lease/treum-gitops/treum-gitops-shard-0")));
        assertThat(settings().getData().get("VERSION")).as("nothing of a refused revision is applied").isEqualTo("v3");
        assertThat(client.leases().inNamespace("treum-gitops").withName("treum-gitops-shard-0").get()).isNull();
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A change as the CLI sends it: JSON, with the token if there is one. */
    private static RequestSpecification json(String token) {
        RequestSpecification request = token == null ? given() : as(token);
        return request.contentType("application/json").body("{}");
    }

    private static ConfigMap settings() {
        return client.configMaps().inNamespace(NS).withName("settings").get();
    }
}
