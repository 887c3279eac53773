package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.PolicyRepoResource;
import ai.treum.gitops.peers.Writes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The policy gate end to end, in order: a revision a Deny policy refuses leaves the cluster
 * exactly as it was and says why everywhere; a revision that only fails a Warn policy is applied
 * and reported; a policy that does not compile refuses the revision, naming its file and line.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PolicyRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class PolicyGateTest {

    private static final String NS = PolicyRepoResource.NAMESPACE;
    private static KubernetesClient client;
    private static Path work;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(PolicyRepoResource.REPO_PROPERTY));
        await().atMost(Duration.ofSeconds(60)).until(() -> "v1".equals(version()));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    @Order(1)
    void aDeniedRevisionLeavesTheClusterExactlyAsItWas() throws Exception {
        String good = FixtureRepo.head(work);
        await().until(() -> good.equals(status().getString("lastGoodRevision")));
        ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
        Deployment web = client.apps().deployments().inNamespace(NS).withName("web").get();

        FixtureRepo.commit(work, "one replica", tree -> PolicyRepoResource.write(tree, "v2", 1, true));
        String denied = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(30)).until(() -> denied.equals(status().getString("revision")));

        JsonPath status = status();
        assertThat(status.getString("syncStatus")).isEqualTo("Rejected");
        assertThat(status.getString("lastGoodRevision")).isEqualTo(good);
        assertThat(status.getList("lastSync.errors", String.class)).containsExactly(
                "environments/gated/kubernetes/app.yaml:14: policy/replica-floor: Deployment/policy-gated/web: "
                        + "runs 1 replica(s); at least 2 are required (Deny)");
        assertThat(status.getList("policies", Map.class)).singleElement().satisfies(p -> assertThat(p).contains(
                Map.entry("policy", "replica-floor"), Map.entry("binding", "replica-floor"), Map.entry("action", "Deny"),
                Map.entry("object", "Deployment/policy-gated/web"), Map.entry("revision", denied),
                Map.entry("source", "environments/gated/kubernetes/app.yaml:14")));

        // not one object written: the ConfigMap's resourceVersion and the Deployment's spec and our fields are the same
        assertThat(client.configMaps().inNamespace(NS).withName("settings").get().getMetadata().getResourceVersion())
                .isEqualTo(settings.getMetadata().getResourceVersion());
        assertThat(Writes.byTheDaemon(client.apps().deployments().inNamespace(NS).withName("web").get()))
                .isEqualTo(Writes.byTheDaemon(web));
        assertThat(version()).isEqualTo("v1");

        await().atMost(Duration.ofSeconds(10)).until(() -> events("web").stream()
                .anyMatch(e -> e.getReason().equals("PolicyViolation") && e.getType().equals("Warning")
                        && e.getMessage().contains("policy replica-floor: runs 1 replica(s)")));
        assertThat(metrics()).contains(
                "treum_gitops_policy_violations{action=\"deny\",environment=\"gated\",policy=\"replica-floor\",} 1.0",
                "treum_gitops_policy_violations{action=\"warn\",environment=\"gated\",policy=\"team-label\",} 0.0");
    }

    @Test
    @Order(2)
    void aRevisionFailingOnlyAWarnPolicyIsAppliedAndReported() throws Exception {
        FixtureRepo.commit(work, "no team label", tree -> PolicyRepoResource.write(tree, "v3", 2, false));
        String warned = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(30)).until(() -> "v3".equals(version()));
        await().until(() -> warned.equals(status().getString("lastGoodRevision")));

        assertThat(status().getList("policies", Map.class)).singleElement().satisfies(p -> assertThat(p).contains(
                Map.entry("policy", "team-label"), Map.entry("action", "Warn"),
                Map.entry("object", "ConfigMap/policy-gated/settings"),
                Map.entry("message", "every ConfigMap names its team in the label team")));
        assertThat(metrics()).contains(
                "treum_gitops_policy_violations{action=\"deny\",environment=\"gated\",policy=\"replica-floor\",} 0.0",
                "treum_gitops_policy_violations{action=\"warn\",environment=\"gated\",policy=\"team-label\",} 1.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> events("settings").stream()
                .anyMatch(e -> e.getReason().equals("PolicyWarning")));
    }

    @Test
    @Order(3)
    void aPolicyThatDoesNotCompileRefusesTheRevision() throws Exception {
        FixtureRepo.commit(work, "a broken policy", tree -> {
            Files.writeString(tree.resolve("policies/broken.yaml"), """
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingAdmissionPolicy
                    metadata:
                      name: broken
                    spec:
                      matchConstraints:
                        resourceRules: [{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}]
                      validations:
                        - expression: object.metadata.name.startsWith(
                    """);
            PolicyRepoResource.write(tree, "v4", 2, true);
        });
        String broken = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(30)).until(() -> broken.equals(status().getString("revision")));

        assertThat(status().getString("syncStatus")).isEqualTo("Rejected");
        assertThat(status().getList("lastSync.errors", String.class)).singleElement().asString()
                .startsWith("policies/broken.yaml:1: policy-expression: broken: spec.validations[0].expression: ");
        assertThat(version()).isEqualTo("v3");

        FixtureRepo.commit(work, "policy removed", tree -> Files.delete(tree.resolve("policies/broken.yaml")));
        await().atMost(Duration.ofSeconds(30)).until(() -> "v4".equals(version()));
    }

    private static JsonPath status() {
        return given().get("/api/v1/environments/gated").then().statusCode(200).extract().jsonPath();
    }

    private static String metrics() {
        return given().accept("text/plain").get("/q/metrics").asString();
    }

    private static String version() {
        ConfigMap map = client.configMaps().inNamespace(NS).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }

    private static List<Event> events(String name) {
        return client.v1().events().inNamespace(NS).withField("involvedObject.name", name).list().getItems();
    }
}
