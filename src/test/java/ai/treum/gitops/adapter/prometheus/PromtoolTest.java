package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.prometheus.Promtool.RuleCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule files judged by the real promtool binary. */
@Tag("peer")
class PromtoolTest {

    private final Promtool promtool = new Promtool("promtool", Duration.ofSeconds(30));

    @Test
    void acceptsTheGuidesHighErrorRateRule(@TempDir Path tmp) throws Exception {
        Path rules = Files.writeString(tmp.resolve("rules.yaml"), """
                groups:
                  - name: treum-api
                    rules:
                      - alert: HighErrorRate
                        expr: sum(rate(api_requests_total{status=~"5.."}[5m])) > 0.05
                        for: 5m
                        labels:
                          severity: critical
                        annotations:
                          summary: API 5xx rate above 0.05/s
                """);

        RuleCheck check = promtool.checkRules(rules);

        assertThat(check).withFailMessage("promtool should accept a valid rule file, said: %s", check)
                .isInstanceOf(RuleCheck.Valid.class);
    }

    @Test
    void rejectsBrokenPromqlAndNamesTheProblem(@TempDir Path tmp) throws Exception {
        Path rules = Files.writeString(tmp.resolve("broken.yaml"), """
                groups:
                  - name: treum-api
                    rules:
                      - alert: HighLatency
                        expr: histogram_quantile(0.95, sum(rate(api_request_duration_seconds_bucket[5m])) by (le) > 1
                """);

        RuleCheck check = promtool.checkRules(rules);

        assertThat(check).isInstanceOf(RuleCheck.Invalid.class);
        assertThat(((RuleCheck.Invalid) check).findings()).contains("broken.yaml").containsIgnoringCase("parse error");
    }

    @Test
    void missingBinaryIsUnavailableNotValid(@TempDir Path tmp) throws Exception {
        Path rules = Files.writeString(tmp.resolve("rules.yaml"), "groups: []\n");

        RuleCheck check = new Promtool(tmp.resolve("no-such-promtool").toString(), Duration.ofSeconds(5))
                .checkRules(rules);

        assertThat(check).isInstanceOf(RuleCheck.Unavailable.class);
    }
}
