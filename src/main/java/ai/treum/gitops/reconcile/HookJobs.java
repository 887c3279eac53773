package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.core.rollout.Hook.Failed;
import ai.treum.gitops.core.rollout.Hook.NotStarted;
import ai.treum.gitops.core.rollout.Hook.Run;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.port.ChangeEntry;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import java.time.Duration;
import java.time.Instant;

/** Runs hook Jobs: creates a revision's Job (replacing another revision's), and reads how it went. */
public class HookJobs {

    private static final Duration POLL = Duration.ofMillis(500);

    private final ClusterReader reader;
    private final ClusterApplier applier;

    public HookJobs(ClusterReader reader, ClusterApplier applier) {
        this.reader = reader;
        this.applier = applier;
    }

    /**
     * Moves the hook one step without waiting: starts its Job if this revision's is not there.
     *
     * @param job the hook's Job for one revision ({@link Hook#forRevision}), for environment {@code env}
     */
    public Run poll(String env, DesiredResource job) {
        DesiredResource stamped = Ownership.stamp(job, env);
        String revision = job.body().path("metadata").path("annotations").path(Hook.REVISION_ANNOTATION).asText();
        Run run = Hook.run(reader.get(env, job.apiVersion(), job.key()).orElse(null), revision);
        if (run instanceof NotStarted notStarted) {
            ChangeEntry written = notStarted.replace() ? applier.delete(new InventoryEntry(job.key(), job.apiVersion()), env)
                    : applier.apply(stamped, true);
            if (written.action().failed()) {
                return new Failed("could not start: " + written.detail());
            }
            return new Hook.Running(notStarted.replace() ? "replacing the Job of an earlier revision" : "started");
        }
        return run;
    }

    /** Runs the hook to its end, or until {@code timeout}: Succeeded, or Failed with why. */
    public Run await(String env, DesiredResource job, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Run run = poll(env, job);
            if (run instanceof Hook.Succeeded || run instanceof Failed) {
                return run;
            }
            if (Instant.now().isAfter(deadline)) {
                return new Failed("not finished after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failed("interrupted");
            }
        }
    }
}
