package ai.treum.gitops.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.EnvironmentSpec.HealthRule;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One fixture per kind and state, {@code testdata/<kind>-<state>.yaml}; the state in the name is the expected health. */
class HealthChecksTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {
            "deployment-healthy", "deployment-progressing", "deployment-unobserved", "deployment-degraded",
            "deployment-suspended", "statefulset-healthy", "statefulset-progressing", "daemonset-healthy",
            "daemonset-progressing", "job-healthy", "job-degraded", "job-progressing", "service-healthy",
            "service-progressing", "ingress-healthy", "ingress-progressing", "persistentvolumeclaim-healthy",
            "persistentvolumeclaim-progressing", "persistentvolumeclaim-degraded", "horizontalpodautoscaler-healthy",
            "horizontalpodautoscaler-progressing", "horizontalpodautoscaler-degraded", "configmap-healthy",
            "verticalpodautoscaler-healthy", "prometheusrule-healthy", "certificate-healthy", "certificate-progressing",
            "externalsecret-progressing", "externalsecret-degraded", "cronjob-healthy", "cronjob-suspended"})
    void fixtureHasTheHealthItsNameSays(String fixture) throws IOException {
        String state = fixture.substring(fixture.lastIndexOf('-') + 1);
        HealthStatus expected = state.equals("unobserved") ? HealthStatus.PROGRESSING
                : HealthStatus.valueOf(state.toUpperCase(Locale.ROOT));

        assertHealth(fixture, expected);
    }

    @Test
    void aMissingObjectIsMissing() {
        assertThat(HealthChecks.assess(new ResourceKey("apps", "Deployment", "treum-production", "api"), Optional.empty())
                .status()).isEqualTo(HealthStatus.MISSING);
    }

    @Test
    void anEnvironmentIsAsHealthyAsItsWorstObject() {
        assertThat(HealthStatus.worst(List.of(HealthStatus.HEALTHY, HealthStatus.PROGRESSING, HealthStatus.HEALTHY)))
                .isEqualTo(HealthStatus.PROGRESSING);
        assertThat(HealthStatus.worst(List.of(HealthStatus.UNKNOWN, HealthStatus.DEGRADED)))
                .withFailMessage("an object without a check must not hide a degraded one").isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.worst(List.of(HealthStatus.HEALTHY, HealthStatus.UNKNOWN)))
                .withFailMessage("unknown is not healthy").isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.worst(List.of())).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void anEnvironmentsOwnExpressionsStandBeforeTheChecksHere() throws IOException {
        SourceLocation at = new SourceLocation("environments/production/environment.yaml", 30);
        HealthRules rules = HealthRules.compile(List.of(new HealthRule("cert-manager.io/Certificate",
                "object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
                "object.status.conditions.exists(c, c.reason == 'DoesNotExist') && object.metadata.generation > 5", at),
                new HealthRule("ExternalSecret", "object.status.phase == 'Synced'", null, at))).rules();
        assertThat(assess("certificate-healthy", rules)).isEqualTo(new ResourceHealth(HealthStatus.HEALTHY, ""));
        assertThat(assess("certificate-progressing", rules)).isEqualTo(new ResourceHealth(HealthStatus.PROGRESSING,
                "waiting for object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')"));
        // no phase in its status: the expression fails, which says so rather than guessing
        ResourceHealth failed = assess("externalsecret-degraded", rules);
        assertThat(failed.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(failed.message()).startsWith("health expression failed: 'object.status.phase == 'Synced'': ");

        ObjectNode stuck = read("certificate-progressing");
        ((ObjectNode) stuck.path("metadata")).put("generation", 9);
        assertThat(HealthChecks.assess(key(stuck), Optional.of(stuck), rules).status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void anExpressionThatDoesNotCompileIsALoadErrorOnItsRulesLine() {
        SourceLocation at = new SourceLocation("environments/production/environment.yaml", 30);
        assertThat(HealthRules.compile(List.of(new HealthRule("Certificate", "object.status.ready ==", null, at))).errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.location()).isEqualTo(at);
                    assertThat(e.rule()).isEqualTo("environment-health");
                    assertThat(e.message()).startsWith("spec.health Certificate healthy: ");
                });
    }

    private static ResourceHealth assess(String fixture, HealthRules rules) throws IOException {
        ObjectNode live = read(fixture);
        return HealthChecks.assess(key(live), Optional.of(live), rules);
    }

    private static ObjectNode read(String fixture) throws IOException {
        try (InputStream in = HealthChecksTest.class.getResourceAsStream("/testdata/" + fixture + ".yaml")) {
            return (ObjectNode) YAML.readTree(in);
        }
    }

    private static ResourceKey key(ObjectNode live) {
        return ResourceKey.of(live.path("apiVersion").asText(), live.path("kind").asText(),
                live.path("metadata").path("namespace").asText(null), live.path("metadata").path("name").asText());
    }

    private static void assertHealth(String fixture, HealthStatus expected) throws IOException {
        ObjectNode live;
        try (InputStream in = HealthChecksTest.class.getResourceAsStream("/testdata/" + fixture + ".yaml")) {
            live = (ObjectNode) YAML.readTree(in);
        }
        ResourceKey key = ResourceKey.of(live.path("apiVersion").asText(), live.path("kind").asText(),
                live.path("metadata").path("namespace").asText(null), live.path("metadata").path("name").asText());
        ResourceHealth health = HealthChecks.assess(key, Optional.of(live));
        assertThat(health.status()).withFailMessage("%s should be %s, was %s (%s)", fixture, expected, health.status(),
                health.message()).isEqualTo(expected);
    }
}
