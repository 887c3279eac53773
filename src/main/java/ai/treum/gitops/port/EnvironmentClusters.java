package ai.treum.gitops.port;

import ai.treum.gitops.model.ClusterTarget;
import java.util.Optional;

/** Which cluster holds each environment's objects. */
@FunctionalInterface
public interface EnvironmentClusters {

    /** The environment's cluster; empty while no valid revision of its environment.yaml has been read. */
    Optional<ClusterTarget> of(String environment);
}
