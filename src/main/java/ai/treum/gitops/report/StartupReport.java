package ai.treum.gitops.report;

import ai.treum.gitops.adapter.kubernetes.KubernetesConnection;
import ai.treum.gitops.config.GitopsConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Logs the effective configuration once, when the daemon starts. */
@ApplicationScoped
public class StartupReport {

    private static final Logger LOG = Logger.getLogger(StartupReport.class);

    void onStart(@Observes StartupEvent event, GitopsConfig config, KubernetesConnection kubernetes) {
        EffectiveConfiguration.of(config, kubernetes.target())
                .forEach((key, value) -> LOG.infof("config %s = %s", key, value));
    }
}
