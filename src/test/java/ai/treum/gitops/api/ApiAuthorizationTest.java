package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
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
        FixtureRepo.commit(work, "v2, never synced", tree -> AccessRepoResource.write(tree, "v2", true));
        String neverSynced = FixtureRepo.head(work);
        FixtureRepo.commit(work, "v3: the legacy tier is retired", tree -> {
            AccessRepoResource.writeNoLegacyPolicy(tree);
            AccessRepoResource.write(tree, "v3", false);
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
                .body("detail", containsString("no-legacy")).body("detail", containsString("the legacy tier is retired"));

        assertThat(settings().getData().get("VERSION")).as("a refused rollback changes nothing").isEqualTo("v3");
        as(ApiTokens.reader()).get("/api/v1/environments/guarded").then().body("rollback", equalTo(null));
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
