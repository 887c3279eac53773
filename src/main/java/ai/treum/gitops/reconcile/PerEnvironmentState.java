package ai.treum.gitops.reconcile;

import java.util.Set;

/**
 * What the daemon keeps about each environment in memory. When an environment's folder leaves Git
 * the daemon stops syncing it and forgets it here, so its status, metrics series and parsed
 * revisions do not outlive it; its objects and inventory stay in the cluster.
 */
public interface PerEnvironmentState {

    /** Forgets every environment but these. */
    void retain(Set<String> environments);
}
