package ai.treum.gitops.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private static AlertRules.Checked check(String... documents) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("environments/production/alerts/app.yaml",
                String.join("---\n", documents))), "treum-production");
        return AlertRules.check(((LoadResult.Loaded) loaded).resources());
    }

    private static String rule(String name, String rules) {
        return """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: %s
                spec:
                  groups:
                """.formatted(name) + rules.indent(4);
    }

    private static final String GOOD = """
            - name: app
              rules:
                - record: job:up:sum
                  expr: sum by (job) (up)
                - alert: AppDown
                  expr: job:up:sum == 0
                  for: 5m
                  labels: {severity: critical}
                  annotations: {summary: app is down, description: "no target of {{ $labels.job }} is up"}
            """;

    @Test
    void goodRulesBecomeOneRuleFileEachWithTheirGroups() {
        AlertRules.Checked checked = check(rule("app", GOOD));

        assertThat(checked.errors()).isEmpty();
        assertThat(checked.files()).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("app.yaml");
            assertThat(file.groups()).containsExactly("app");
            assertThat(file.content()).startsWith("groups:\n- name: app\n  rules:\n  - record: job:up:sum\n");
        });
    }

    @Test
    void everyStructuralProblemIsNamedWithFileLineAndRule() {
        AlertRules.Checked checked = check(rule("app", GOOD), rule("other", """
                - name: app
                  rules:
                    - alert: AppDown
                      expr: up == 0
                      for: five minutes
                      labels: {severity: page}
                      annotations: {summary: down}
                    - alert: Both
                      record: both
                      expr: up
                    - record: "bad name"
                      expr: up
                - rules: []
                """), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: stray
                """);

        assertThat(checked.files()).isEmpty();
        assertThat(checked.errors()).extracting(LoadError::toString).containsExactly(
                "environments/production/alerts/app.yaml:17: alert-group-name: PrometheusRule/treum-production/other: "
                        + "spec.groups[0] app is also a group of PrometheusRule/treum-production/app",
                "environments/production/alerts/app.yaml:17: alert-duration: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[0] AppDown for five minutes is not a duration like 5m",
                "environments/production/alerts/app.yaml:17: alert-duplicate: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[0] AppDown is also an alert of PrometheusRule/treum-production/app",
                "environments/production/alerts/app.yaml:17: alert-labels: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[0] AppDown needs label severity: critical, warning or info, found page",
                "environments/production/alerts/app.yaml:17: alert-annotations: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[0] AppDown needs annotation description",
                "environments/production/alerts/app.yaml:17: alert-rule: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[1] Both must have exactly one of alert and record",
                "environments/production/alerts/app.yaml:17: alert-record: PrometheusRule/treum-production/other: "
                        + "spec.groups[0].rules[2] bad name is not a valid metric name",
                "environments/production/alerts/app.yaml:17: alert-group-name: PrometheusRule/treum-production/other: "
                        + "spec.groups[1] has no name",
                "environments/production/alerts/app.yaml:17: alert-rules: PrometheusRule/treum-production/other: "
                        + "spec.groups[1] has no rules",
                "environments/production/alerts/app.yaml:37: alert-kind: ConfigMap/treum-production/stray: "
                        + "alerts/ holds only PrometheusRule objects of monitoring.coreos.com/v1");
    }
}
