package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.Durations;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.PolicyReport;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subject;
import ai.treum.gitops.model.SourceLocation;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where CEL from Git runs: a ForkJoinPool of its own with a fixed number of threads (no
 * compensation threads when a worker waits), so policies never take the threads of syncs,
 * webhooks or the API, and a time limit per revision. A revision whose evaluation runs past the
 * limit is refused, never applied unchecked; the workers notice the limit before their next object.
 */
@ApplicationScoped
public class PolicyPool {

    /** The report, or why the revision is refused without one. */
    public record Evaluation(PolicyReport report, List<LoadError> errors) {
    }

    /**
     * How long after the limit the workers are given to stop and name the policy they were on:
     * one object's evaluation, up to the iteration budget, on a loaded machine.
     */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final ForkJoinPool pool;
    private final Duration limit;

    @Inject
    PolicyPool(GitopsConfig config) {
        this(config.policies().threads(), config.policies().timeLimit());
    }

    PolicyPool(int threads, Duration limit) {
        this.limit = limit;
        ForkJoinPool.ForkJoinWorkerThreadFactory named = p -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            thread.setName("treum-gitops-policy-" + thread.getPoolIndex());
            return thread;
        };
        this.pool = new ForkJoinPool(threads, named, null, false, 0, threads, 1, p -> true, 60, TimeUnit.SECONDS);
    }

    public Evaluation evaluate(PolicySet policies, String environment, List<Subject> subjects) {
        long deadline = System.nanoTime() + limit.toNanos();
        ForkJoinTask<PolicyReport> task = pool.submit(() -> policies.evaluate(environment, subjects,
                () -> System.nanoTime() - deadline > 0));
        try {
            try {
                return new Evaluation(task.get(limit.toNanos(), TimeUnit.NANOSECONDS), List.of());
            } catch (TimeoutException first) {
                return new Evaluation(task.get(GRACE.toNanos(), TimeUnit.NANOSECONDS), List.of());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PolicySet.TimeLimitExceeded exceeded) {
                return refused(exceeded.source(), "policy " + exceeded.policyName() + " on " + subjects.size()
                        + " object(s) took longer than " + Durations.text(limit) + " (treum-gitops.policies.time-limit)");
            }
            throw new IllegalStateException("policy evaluation failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            task.cancel(true);
            return refused(new SourceLocation("policies", 1), "evaluating policies/ on " + subjects.size()
                    + " object(s) took longer than " + Durations.text(limit) + " (treum-gitops.policies.time-limit)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(new SourceLocation("policies", 1), "policy evaluation was interrupted");
        }
    }

    private static Evaluation refused(SourceLocation where, String message) {
        return new Evaluation(PolicyReport.NONE, List.of(new LoadError(where, "policy-time-limit", message
                + ": nothing of the revision is applied")));
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
