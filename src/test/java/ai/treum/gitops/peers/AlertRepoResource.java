package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for alert-rule tests: environment {@code alerting} (namespace
 * {@code alert-rules}) with a ConfigMap and alert rules, and a real Prometheus that loads the
 * rule folder the daemon writes to and can be reloaded. Git is polled and rules checked every
 * second.
 */
public class AlertRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.alert-repo";
    public static final String RULES_PROPERTY = "treum.test.alert-rules-dir";
    public static final String NAMESPACE = "alert-rules";
    private static PrometheusServer prometheus;

    public AlertRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, "1", APP_RULES);
    }

    @Override
    protected Map<String, String> settings(Path work) throws Exception {
        Path rules = Files.createDirectories(work.getParent().resolve(work.getFileName() + "-rules"));
        prometheus = PrometheusServer.readingRules("127.0.0.1:1", work.getParent().resolve(work.getFileName()
                + "-prometheus"), rules);
        System.setProperty(RULES_PROPERTY, rules.toString());
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.alerts.interval", "1s",
                "treum-gitops.alerts.rules-dir", rules.toString(),
                "treum-gitops.alerts.prometheus-url", prometheus.url().toString());
    }

    public static PrometheusServer prometheus() {
        return prometheus;
    }

    /** Alert rules: one group {@code app} with one alert. */
    public static final String APP_RULES = rules("app", "AppDown", "up{job=\"app\"} == 0", "critical");

    public static String rules(String group, String alert, String expr, String severity) {
        return """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: app
                  labels: {prometheus: treum}
                spec:
                  groups:
                    - name: %s
                      rules:
                        - alert: %s
                          expr: '%s'
                          for: 5m
                          labels: {severity: %s}
                          annotations: {summary: app is down, description: no app target is up}
                """.formatted(group, alert, expr, severity);
    }

    /** The environment with its ConfigMap at a version, and these alert rules. */
    public static void write(Path work, String version, String alertRules) throws IOException {
        Path dir = FixtureRepo.environment(work, "alerting", NAMESPACE, "sync: {auto: true, prune: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(NAMESPACE, version));
        Path alerts = Files.createDirectories(dir.getParent().resolve("alerts"));
        Files.writeString(alerts.resolve("app.yaml"), alertRules);
    }

    @Override
    public void stop() {
        super.stop();
        try {
            prometheus.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
