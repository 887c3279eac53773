package ai.treum.gitops.adapter.prometheus;

import ai.treum.gitops.adapter.kubernetes.ClusterTargets;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.alerts.AlertRules;
import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.RuleInstaller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Where alert rules go, decided at each install: PrometheusRule objects where the environment's cluster serves
 * the CRD; otherwise rule files in {@code treum-gitops.alerts.rules-dir} for the Prometheus at
 * {@code treum-gitops.alerts.prometheus-url}; otherwise nowhere, which is a problem to report.
 */
@ApplicationScoped
public class RuleTargets implements RuleInstaller {

    private final ClusterReader cluster;
    private final ClusterTargets targets;
    private final Optional<RuleDirectory> directory;

    RuleTargets(ClusterReader cluster, ClusterTargets targets, GitopsConfig config) {
        this.cluster = cluster;
        this.targets = targets;
        this.directory = config.alerts().rulesDir().flatMap(dir -> config.alerts().prometheusUrl()
                .map(url -> new RuleDirectory(dir, url)));
    }

    @Override
    public Installed install(String environment, String namespace, List<RuleFile> files) {
        if (cluster.serves(environment, AlertRules.API_VERSION, AlertRules.KIND)) {
            return targets.of(environment).rules().install(environment, namespace, files);
        }
        return directory.map(d -> d.install(environment, namespace, files)).orElseGet(() -> new Installed("nowhere",
                List.of(), List.of("the cluster has no PrometheusRule CRD, and treum-gitops.alerts.rules-dir and "
                        + "treum-gitops.alerts.prometheus-url are not both set"), List.of()));
    }
}
