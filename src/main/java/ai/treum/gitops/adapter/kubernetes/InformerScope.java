package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.port.ShardOwnership;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets go of the informers of environments whose shard went to another replica, as often as the
 * health check runs: a replica's memory follows the shards it holds.
 */
@ApplicationScoped
public class InformerScope {

    private final ClusterTargets targets;
    private final ShardOwnership shards;

    InformerScope(ClusterTargets targets, ShardOwnership shards) {
        this.targets = targets;
        this.shards = shards;
    }

    @Scheduled(every = "${treum-gitops.health-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retainHeld() {
        targets.retain(shards::holds);
    }
}
