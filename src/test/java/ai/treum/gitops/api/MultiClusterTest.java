package ai.treum.gitops.api;

import static ai.treum.gitops.peers.MultiClusterRepoResource.DAEMON_NAMESPACE;
import static ai.treum.gitops.peers.MultiClusterRepoResource.PRODUCTION;
import static ai.treum.gitops.peers.MultiClusterRepoResource.STAGING;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.MultiClusterRepoResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each environment in the cluster its environment.yaml names: staging in the daemon's own (A),
 * production in a second kube-apiserver (B) reached through a kubeconfig Secret. Writes are
 * counted by each API server itself ({@code apiserver_request_total}).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MultiClusterRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class MultiClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** One series of the API server's request counter: its labels and its value. */
    private static final Pattern REQUESTS = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$",
            Pattern.MULTILINE);
    private static KubernetesClient a;
    private static KubernetesClient b;

    @BeforeAll
    static void connect() throws Exception {
        a = KubernetesPeer.adminClient();
        b = MultiClusterRepoResource.clientOfB();
    }

    @AfterAll
    static void disconnect() {
        a.close();
        b.close();
    }

    @Test
    @Order(1)
    void eachEnvironmentSyncsIntoTheClusterItNames() {
        await().atMost(PATIENCE).until(() -> "v1".equals(version(a, STAGING)) && "v1".equals(version(b, PRODUCTION)));

        assertThat(a.namespaces().withName(PRODUCTION).get()).as("production's namespace in A").isNull();
        assertThat(b.namespaces().withName(STAGING).get()).as("staging's namespace in B").isNull();
        assertThat(a.configMaps().inNamespace(DAEMON_NAMESPACE).withName("treum-gitops-inventory-production").get())
                .as("production's inventory in A").isNull();
        assertThat(b.configMaps().inNamespace(DAEMON_NAMESPACE).withName("treum-gitops-inventory-production").get())
                .as("production's inventory in B").isNotNull();
        JsonPath peers = given().get("/q/health/group/peers").jsonPath();
        assertThat(peers.getString("checks.find { it.name == 'clusters' }.status")).isEqualTo("UP");
        assertThat(peers.getString("checks.find { it.name == 'clusters' }.data.detail"))
                .contains("kubeconfig secret cluster-b key kubeconfig (production): up");
    }

    @Test
    @Order(2)
    void aCommitTouchingOnlyProductionWritesToItsClusterAndNothingToTheOther() throws Exception {
        double beforeA = writes(a);
        double beforeB = writes(b);

        FixtureRepo.commit(MultiClusterRepoResource.repository(), "production v2",
                tree -> MultiClusterRepoResource.production(tree, "v2"));
        String head = FixtureRepo.head(MultiClusterRepoResource.repository());
        await().atMost(PATIENCE).until(() -> "v2".equals(version(b, PRODUCTION)));
        await().atMost(PATIENCE).until(() -> {
            JsonPath status = environment("production");
            return head.equals(status.getString("revision")) && "Synced".equals(status.getString("syncStatus"));
        });

        assertThat(writes(b) - beforeB).as("writes to B").isPositive();
        assertThat(writes(a) - beforeA).as("writes to A (server-side applies, ConfigMaps)").isZero();
        assertThat(version(a, STAGING)).isEqualTo("v1");
    }

    @Test
    @Order(3)
    void aClusterThatStopsDegradesOnlyTheEnvironmentsInIt() throws Exception {
        MultiClusterRepoResource.clusterB().close();

        FixtureRepo.commit(MultiClusterRepoResource.repository(), "both v3", tree -> {
            MultiClusterRepoResource.production(tree, "v3");
            MultiClusterRepoResource.staging(tree, "v3");
        });
        String head = FixtureRepo.head(MultiClusterRepoResource.repository());
        await("staging keeps syncing").atMost(PATIENCE).until(() -> "v3".equals(version(a, STAGING)));
        JsonPath production = await().atMost(PATIENCE).until(() -> environment("production"),
                s -> head.equals(s.getString("revision")) && "Failed".equals(s.getString("lastSync.result")));
        assertThat(production.getString("syncStatus")).isNotEqualTo("Synced");
        assertThat(production.getList("lastSync.errors", String.class)).anySatisfy(e -> assertThat(e)
                .contains("environment production: cluster kubeconfig secret cluster-b key kubeconfig: ")
                .contains("Connection refused"));
        assertThat(environment("staging").getString("syncStatus")).isEqualTo("Synced");

        JsonPath peers = await().atMost(PATIENCE).until(() -> given().get("/q/health/group/peers").jsonPath(),
                p -> "DOWN".equals(p.getString("checks.find { it.name == 'clusters' }.status")));
        assertThat(peers.getString("checks.find { it.name == 'clusters' }.data.detail"))
                .contains("kubeconfig secret cluster-b key kubeconfig (production): down: ").contains("Connection refused");
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static JsonPath environment(String name) {
        return given().get("/api/v1/environments/" + name).jsonPath();
    }

    private static String version(KubernetesClient client, String namespace) {
        ConfigMap settings = client.configMaps().inNamespace(namespace).withName("settings").get();
        return settings == null ? null : settings.getData().get("VERSION");
    }

    /**
     * What the API server counted of server-side applies and ConfigMap writes (the daemon's
     * inventory): the controllers of A write neither, so only the daemon moves this.
     */
    private static double writes(KubernetesClient client) {
        Matcher series = REQUESTS.matcher(client.raw("/metrics"));
        double total = 0;
        while (series.find()) {
            String labels = series.group(1);
            boolean write = labels.matches(".*verb=\"(POST|PUT|PATCH|DELETE|DELETECOLLECTION)\".*");
            if (labels.contains("verb=\"APPLY\"") || (write && labels.contains("resource=\"configmaps\""))) {
                total += Double.parseDouble(series.group(2));
            }
        }
        return total;
    }
}
