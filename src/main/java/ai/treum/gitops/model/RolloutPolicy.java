package ai.treum.gitops.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How an environment rolls out a new revision and when it rolls it back, as {@code spec.rollout}
 * of its environment.yaml declares it. Workloads choose their strategy by the annotation
 * {@code gitops.treum.ai/strategy}: {@code rolling} (the default), {@code blue-green} or {@code canary}.
 *
 * @param canarySteps    the canary's share of the replicas at each step, in percent, ending at 100
 * @param scaleDownDelay how long blue-green keeps the old colour after the Service switched to the new
 * @param analysis       the Prometheus checks a revision must pass before it is promoted; empty: health alone
 * @param revertCommit   after a rollback, push a commit to the tracked branch that restores the healthy revision
 */
public record RolloutPolicy(List<Integer> canarySteps, Duration scaleDownDelay, Optional<Analysis> analysis,
        boolean revertCommit) {

    public static RolloutPolicy defaults() {
        return new RolloutPolicy(List.of(10, 50, 100), Duration.ofSeconds(30), Optional.empty(), false);
    }

    /**
     * Checks measured through Prometheus' HTTP API.
     *
     * @param prometheus   the server's base URL
     * @param interval     time between two measurements
     * @param measurements how many measurements one analysis takes
     * @param failureLimit how many failed measurements it tolerates; one more fails the analysis
     */
    public record Analysis(String prometheus, Duration interval, int measurements, int failureLimit, List<Check> checks) {
    }

    /**
     * One PromQL query whose single value must stay within bounds. {@code ${namespace}} in the
     * query is the environment's namespace.
     *
     * @param max the highest passing value, or null
     * @param min the lowest passing value, or null
     */
    public record Check(String name, String query, Double max, Double min) {
    }
}
