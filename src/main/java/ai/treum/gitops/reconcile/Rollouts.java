package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.core.rollout.RolloutRenderer;
import ai.treum.gitops.core.rollout.RolloutState;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.Revision;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a revision of an environment looks like at the current step of its rollout: Git's objects,
 * with blue-green and canary workloads rendered against the last healthy revision (read from Git)
 * and the rollout state kept beside the inventory.
 */
@ApplicationScoped
public class Rollouts {

    private record Stable(String revision, List<DesiredResource> objects) {
    }

    private final RevisionReader revisions;
    private final RolloutGuard guard;
    private final Map<String, Stable> stable = new ConcurrentHashMap<>();

    Rollouts(RevisionReader revisions, RolloutGuard guard) {
        this.revisions = revisions;
        this.guard = guard;
    }

    /** @param read the environment at {@code revision}, already checked valid */
    public Rendered render(String env, Revision revision, EnvironmentRevision read) {
        Map<String, String> marks = guard.marks(env);
        String healthy = marks.get(RolloutGuard.HEALTHY);
        Optional<List<DesiredResource>> old = healthy == null || healthy.equals(revision.sha()) ? Optional.empty()
                : stableObjects(env, healthy);
        return RolloutRenderer.render(read.environment().rollout(), revision.sha(), read.kubernetes(), old,
                RolloutState.of(marks));
    }

    private Optional<List<DesiredResource>> stableObjects(String env, String healthy) {
        Stable known = stable.get(env);
        if (known == null || !known.revision().equals(healthy)) {
            EnvironmentRevision read = revisions.read(env, new Revision(healthy));
            if (!read.valid()) {
                return Optional.empty();
            }
            known = new Stable(healthy, read.kubernetes());
            stable.put(env, known);
        }
        return Optional.of(known.objects());
    }
}
