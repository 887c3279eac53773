package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.load.SecretReferences;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.core.rollout.Hook.Failed;
import ai.treum.gitops.core.rollout.Hook.NotStarted;
import ai.treum.gitops.core.rollout.Hook.Run;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs hook Jobs: creates a revision's Job (replacing another revision's) once every Secret its
 * pods read exists (an External Secrets Operator may still be making them on a fresh cluster), and
 * reads how it went.
 */
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
            List<String> missing = missingSecrets(env, job);
            if (!missing.isEmpty()) {
                return new Hook.Running("waiting for " + String.join(", ", missing));
            }
            ChangeEntry written = notStarted.replace() ? applier.delete(new InventoryEntry(job.key(), job.apiVersion()), env)
                    : applier.apply(stamped, true);
            if (written.action().failed()) {
                return new Failed("could not start: " + written.detail());
            }
            return new Hook.Running(notStarted.replace() ? "replacing the Job of an earlier revision" : "started");
        }
        return run;
    }

    /** The Secrets the Job's pods read that are not there, in the words of the Job's spec. */
    private List<String> missingSecrets(String env, DesiredResource job) {
        String namespace = job.key().namespace();
        Map<String, String> unseen = new LinkedHashMap<>(SecretReferences.readBy(job));
        unseen.keySet().removeIf(name -> reader.get(env, "v1", ResourceKey.of("v1", "Secret", namespace, name)).isPresent());
        if (!unseen.isEmpty()) {
            // made by somebody else (an operator): one list of the namespace's other Secrets per poll
            unseen.keySet().removeAll(reader.notShown(env, "v1", "Secret", namespace).keySet());
        }
        List<String> missing = new ArrayList<>();
        unseen.forEach((name, how) -> missing.add("Secret " + name + " (" + how + ")"));
        return missing;
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
                return new Failed("not finished after " + timeout.toSeconds() + " s" + (run instanceof Hook.Running running
                        ? " (" + running.detail() + ")" : ""));
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
