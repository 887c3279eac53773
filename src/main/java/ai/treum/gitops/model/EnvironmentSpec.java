package ai.treum.gitops.model;

import java.time.Duration;

/** An environment as its environment.yaml declares it. */
public record EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout) {

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync) {
        this(name, namespace, sync, AwsPolicy.defaults(), RolloutPolicy.defaults());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws) {
        this(name, namespace, sync, aws, RolloutPolicy.defaults());
    }

    /**
     * How the environment's declared AWS resources are kept.
     *
     * @param region           the region of its resources, or null for the daemon's
     * @param enforce          change what differs where the allow-list permits; off (observe), only report
     * @param interval         how often AWS is read (it has no watch), with up to a tenth of jitter
     * @param applyImmediately RDS changes now rather than in the maintenance window
     */
    public record AwsPolicy(String region, boolean enforce, Duration interval, boolean applyImmediately) {

        public static AwsPolicy defaults() {
            return new AwsPolicy(null, false, Duration.ofMinutes(5), false);
        }
    }

    /**
     * How the environment syncs.
     *
     * @param auto            sync on every new revision and every interval, not only on request
     * @param prune           delete objects that Git no longer declares
     * @param selfHeal        Git wins over hand edits: take back fields another manager changed
     * @param interval        how often to resync when nothing else asks
     * @param allowEmpty      allow a prune that would leave the environment with no objects
     * @param maxPrunePercent most of the inventory one sync may delete; above it, nothing is pruned
     */
    public record SyncPolicy(boolean auto, boolean prune, boolean selfHeal, Duration interval, boolean allowEmpty,
            int maxPrunePercent) {

        public static SyncPolicy defaults() {
            return new SyncPolicy(true, false, false, Duration.ofMinutes(3), false, 50);
        }
    }
}
