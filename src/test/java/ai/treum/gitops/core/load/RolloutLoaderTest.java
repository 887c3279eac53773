package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.RolloutPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutLoaderTest {

    private static EnvironmentLoader.Result load(String rollout) {
        return EnvironmentLoader.load(new SourceFile("environments/production/environment.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Environment
                metadata:
                  name: production
                spec:
                  namespace: treum-production
                  rollout:
                """ + rollout.indent(4)), "production");
    }

    @Test
    void readsStepsDelayAndAnalysisWithTheGuidesChecksByDefault() {
        RolloutPolicy policy = load("""
                canary: {steps: [20, 100]}
                blueGreen: {scaleDownDelay: 2m}
                revertCommit: true
                analysis:
                  prometheus: http://prometheus.monitoring:9090
                  interval: 15s
                  measurements: 4
                  failureLimit: 1
                """).environment().rollout();

        assertThat(policy.canarySteps()).containsExactly(20, 100);
        assertThat(policy.scaleDownDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.revertCommit()).isTrue();
        assertThat(policy.analysis()).hasValueSatisfying(a -> {
            assertThat(a.interval()).isEqualTo(Duration.ofSeconds(15));
            assertThat(a.measurements()).isEqualTo(4);
            assertThat(a.checks()).extracting(RolloutPolicy.Check::name).containsExactly("error-rate", "p95-latency");
            assertThat(a.checks()).extracting(RolloutPolicy.Check::max).containsExactly(0.05, 1.0);
        });
        assertThat(load("{}").environment().rollout()).isEqualTo(RolloutPolicy.defaults());
    }

    @Test
    void badRolloutSettingsNameTheFileLineAndRule() {
        List<LoadError> errors = load("""
                canary: {steps: [50, 20]}
                analysis:
                  prometheus: prometheus:9090
                  measurements: 2
                  failureLimit: 2
                  checks:
                    - {name: errors, query: "sum(x)"}
                """).errors();

        assertThat(errors).extracting(LoadError::toString).containsExactly(
                "environments/production/environment.yaml:1: rollout-steps: spec.rollout.canary.steps must be ascending "
                        + "percentages from 1 ending at 100, found [50,20]",
                "environments/production/environment.yaml:1: rollout-analysis: spec.rollout.analysis.prometheus must be "
                        + "the http(s) URL of a Prometheus server, found 'prometheus:9090'",
                "environments/production/environment.yaml:1: rollout-analysis: spec.rollout.analysis needs measurements >= 1 "
                        + "and 0 <= failureLimit < measurements, found 2 and 2",
                "environments/production/environment.yaml:1: rollout-analysis: each of spec.rollout.analysis.checks needs a "
                        + "name, a query and a numeric max or min, found {\"name\":\"errors\",\"query\":\"sum(x)\"}");
    }
}
