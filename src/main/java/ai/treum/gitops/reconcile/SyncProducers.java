package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.InventoryStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** CDI wiring of the sync flow onto the cluster ports, with a progress line per wave. */
public class SyncProducers {

    private static final Logger LOG = Logger.getLogger(EnvironmentSync.class);

    @Produces
    @Singleton
    EnvironmentSync environmentSync(ClusterReader reader, ClusterApplier applier, InventoryStore inventory,
            GitopsConfig config) {
        return new EnvironmentSync(reader, applier, inventory, (environment, wave, changes) -> LOG.debugf(
                "environment %s wave %d: %d object(s), %d written", environment, wave, changes.size(),
                changes.stream().filter(c -> c.action().wrote()).count()), config.applyConcurrency(),
                config.hookMaxWait());
    }
}
