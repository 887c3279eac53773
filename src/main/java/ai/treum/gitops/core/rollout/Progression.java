package ai.treum.gitops.core.rollout;

import ai.treum.gitops.core.rollout.AnalysisRun.Verdict;
import ai.treum.gitops.model.RolloutPolicy;
import java.time.Instant;

/**
 * What a rollout does next once every workload of the revision is healthy at its current step.
 * Analysis, where the environment declares it, stands before every promotion: between canary
 * steps, before blue-green switches its Services, and before a rolling revision counts as
 * healthy. Pure.
 */
public final class Progression {

    /** The next move. */
    public sealed interface Decision {
    }

    /** Nothing yet: a blue-green rollout keeps the old colour for its delay. */
    public record Wait(String why) implements Decision {
    }

    /** The analysis of this step needs (more) measurements. */
    public record Measure() implements Decision {
    }

    public record Advance(int step) implements Decision {
    }

    /** The revision is fully rolled out and healthy. */
    public record Done() implements Decision {
    }

    public record Fail(String reason) implements Decision {
    }

    private Progression() {
    }

    /**
     * @param step  the step the rollout stands at, from {@link RolloutState#stepOf}
     * @param since when it reached that step
     * @param run   the analysis of this step so far; ignored when the environment declares none
     */
    public static Decision decide(Rendered rendered, RolloutPolicy policy, int step, Instant since, AnalysisRun run,
            Instant now) {
        if (rendered.inProgress() && step >= rendered.lastStep()) {
            boolean blueGreen = rendered.progressive().stream().anyMatch(p -> p.strategy() == Strategy.BLUE_GREEN);
            Instant release = since.plus(policy.scaleDownDelay());
            return blueGreen && now.isBefore(release) ? new Wait("old colour kept until " + release) : new Done();
        }
        Decision promote = rendered.inProgress() ? new Advance(step + 1) : new Done();
        if (policy.analysis().isEmpty()) {
            return promote;
        }
        Verdict verdict = run.verdict(policy.analysis().get());
        return switch (verdict) {
            case PASSED -> promote;
            case FAILED -> new Fail(run.describe(policy.analysis().get()));
            default -> new Measure();
        };
    }
}
