package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.AlertRepoResource;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Alert rules reach a real Prometheus: written to the folder it reads, reloaded, and confirmed in
 * {@code /api/v1/rules}; a broken rule is refused before Prometheus sees it while the rest of the
 * commit syncs; where the cluster has prometheus-operator's CRDs they become PrometheusRule
 * objects, with a warning while no Prometheus selects them.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AlertRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class AlertRulesInstallTest {

    private static final String NS = AlertRepoResource.NAMESPACE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KubernetesClient client;
    private static Path work;
    private static Path rules;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(AlertRepoResource.REPO_PROPERTY));
        rules = Path.of(System.getProperty(AlertRepoResource.RULES_PROPERTY));
    }

    @AfterAll
    static void disconnect() {
        client.apiextensions().v1().customResourceDefinitions().withName("prometheusrules.monitoring.coreos.com").delete();
        client.apiextensions().v1().customResourceDefinitions().withName("prometheuses.monitoring.coreos.com").delete();
        client.close();
    }

    @Test
    @Order(1)
    void rulesAreWrittenReloadedAndLoadedByPrometheus() throws Exception {
        String head = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> loadedGroups().contains("app"));
        assertThat(Files.readString(rules.resolve("alerting_app.yaml"))).contains("alert: AppDown");
        JsonPath alerts = status();
        assertThat(alerts.getString("alerts.installedRevision")).isEqualTo(head);
        assertThat(alerts.getList("alerts.groups", String.class)).containsExactly("app");
        assertThat(alerts.getList("alerts.errors", String.class)).isEmpty();
        assertThat(alerts.getList("alerts.problems", String.class)).isEmpty();
    }

    @Test
    @Order(2)
    void aBrokenRuleIsRefusedBeforePrometheusSeesItAndTheRestOfTheCommitSyncs() throws Exception {
        String installed = FixtureRepo.head(work);
        String before = Files.readString(rules.resolve("alerting_app.yaml"));
        FixtureRepo.commit(work, "broken PromQL", tree -> AlertRepoResource.write(tree, "2",
                AlertRepoResource.rules("app-v2", "AppDown", "sum(up", "critical")));
        String broken = FixtureRepo.head(work);

        await().atMost(Duration.ofSeconds(60)).until(() -> broken.equals(status().getString("alerts.revision")));
        assertThat(status().getList("alerts.errors", String.class)).singleElement().asString()
                .startsWith("environments/alerting/alerts/app.yaml:1: alert-promql: PrometheusRule/alert-rules/app: ")
                .contains("unclosed left parenthesis");
        assertThat(status().getString("alerts.installedRevision")).isEqualTo(installed);
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(version()));
        assertThat(Files.readString(rules.resolve("alerting_app.yaml"))).isEqualTo(before);
        assertThat(loadedGroups()).containsExactly("app");

        FixtureRepo.commit(work, "no severity", tree -> AlertRepoResource.write(tree, "3",
                AlertRepoResource.rules("app-v2", "AppDown", "up == 0", "urgent")));
        String unlabelled = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> unlabelled.equals(status().getString("alerts.revision")));
        assertThat(status().getList("alerts.errors", String.class)).containsExactly("environments/alerting/alerts/app.yaml:1: "
                + "alert-labels: PrometheusRule/alert-rules/app: spec.groups[0].rules[0] AppDown needs label severity: "
                + "critical, warning or info, found urgent");
        assertThat(loadedGroups()).containsExactly("app");
    }

    @Test
    @Order(3)
    void aFixedRuleReplacesTheOldGroup() throws Exception {
        FixtureRepo.commit(work, "fixed", tree -> AlertRepoResource.write(tree, "4",
                AlertRepoResource.rules("app-v2", "AppDown", "up{job=\"app\"} == 0", "critical")));
        String fixed = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> loadedGroups().equals(List.of("app-v2")));
        assertThat(status().getString("alerts.installedRevision")).isEqualTo(fixed);
        assertThat(status().getList("alerts.errors", String.class)).isEmpty();
    }

    @Test
    @Order(4)
    void withPrometheusOperatorTheRulesArePrometheusRuleObjectsAndAnUnselectedOneIsAWarning() throws Exception {
        crd("prometheusrules", "PrometheusRule");
        crd("prometheuses", "Prometheus");
        await().atMost(Duration.ofSeconds(30)).until(() -> served("PrometheusRule") && served("Prometheus"));

        FixtureRepo.commit(work, "5", tree -> AlertRepoResource.write(tree, "5",
                AlertRepoResource.rules("app-v3", "AppDown", "up == 0", "warning")));
        await().atMost(Duration.ofSeconds(60)).until(() -> rule() != null);
        GenericKubernetesResource rule = rule();
        assertThat(rule.getMetadata().getLabels()).containsEntry("prometheus", "treum")
                .containsEntry("gitops.treum.ai/environment", "alerting");
        await().atMost(Duration.ofSeconds(30)).until(() -> !status().getList("alerts.warnings", String.class).isEmpty());
        assertThat(status().getList("alerts.warnings", String.class)).containsExactly("PrometheusRule/alert-rules/app: no "
                + "Prometheus selects it (ruleSelector, ruleNamespaceSelector), so no Prometheus evaluates its groups");
        assertThat(status().getString("alerts.target")).isEqualTo("PrometheusRule objects for prometheus-operator");

        client.genericKubernetesResources("monitoring.coreos.com/v1", "Prometheus").inNamespace(NS)
                .resource(JSON.readValue("""
                        {"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
                         "metadata": {"name": "treum", "namespace": "%s"},
                         "spec": {"ruleSelector": {"matchLabels": {"prometheus": "treum"}}, "ruleNamespaceSelector": {}}}
                        """.formatted(NS), GenericKubernetesResource.class)).create();
        FixtureRepo.commit(work, "6", tree -> AlertRepoResource.write(tree, "6",
                AlertRepoResource.rules("app-v3", "AppDown", "up == 0", "critical")));
        String selected = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(60)).until(() -> selected.equals(status().getString("alerts.installedRevision")));
        assertThat(status().getList("alerts.warnings", String.class)).isEmpty();
    }

    private static void crd(String plural, String kind) {
        client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: %s.monitoring.coreos.com
                spec:
                  group: monitoring.coreos.com
                  scope: Namespaced
                  names: {plural: %s, kind: %s, singular: %s}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """.formatted(plural, plural, kind, kind.toLowerCase()),
                CustomResourceDefinition.class)).serverSideApply();
    }

    private static boolean served(String kind) {
        return client.getApiResources("monitoring.coreos.com/v1") != null && client.getApiResources("monitoring.coreos.com/v1")
                .getResources().stream().anyMatch(r -> r.getKind().equals(kind));
    }

    private static GenericKubernetesResource rule() {
        return client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule").inNamespace(NS)
                .withName("app").get();
    }

    private static JsonPath status() {
        return given().get("/api/v1/environments/alerting").then().statusCode(200).extract().jsonPath();
    }

    private static String version() {
        ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
        return settings == null ? null : settings.getData().get("VERSION");
    }

    /** The groups Prometheus loaded from the environment's rule folder, by name. */
    private static List<String> loadedGroups() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(AlertRepoResource.prometheus().url() + "/api/v1/rules")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> groups = new ArrayList<>();
        for (JsonNode group : JSON.readTree(response.body()).path("data").path("groups")) {
            if (group.path("file").asText().equals(rules.resolve("alerting_app.yaml").toString())) {
                groups.add(group.path("name").asText());
            }
        }
        return groups;
    }
}
