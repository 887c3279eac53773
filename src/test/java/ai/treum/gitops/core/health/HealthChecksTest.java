package ai.treum.gitops.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.ResourceKey;
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
