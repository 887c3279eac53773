package ai.treum.gitops.core.rollout;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A revision's objects as the rollout state turns them into what is applied.
 *
 * @param objects     what to apply: Git's objects, with blue-green and canary workloads rewritten
 * @param progressive the workloads in the middle of a blue-green or canary rollout
 * @param retired     objects a rollout made that are no longer wanted (an old colour, a finished canary);
 *                    removed even where the environment does not prune
 * @param preSync     the revision's pre-sync hook Jobs, marked with the revision; not among {@code objects}
 * @param postSync    its post-sync hook Jobs, likewise
 */
public record Rendered(List<DesiredResource> objects, List<Progressive> progressive, Set<ResourceKey> retired,
        List<DesiredResource> preSync, List<DesiredResource> postSync) {

    /**
     * One workload mid-rollout.
     *
     * @param lastStep the step at which it is fully on the new revision: 1 for blue-green (the
     *                 Service switched), the number of canary steps for a canary (promoted)
     */
    public record Progressive(String workload, Strategy strategy, int lastStep) {
    }

    /** Objects applied as they are: no rollout, no hooks. */
    public static Rendered plain(List<DesiredResource> objects) {
        return new Rendered(objects, List.of(), Set.of(), List.of(), List.of());
    }

    /** Every hook Job, pre-sync first. */
    public List<DesiredResource> hooks() {
        List<DesiredResource> all = new ArrayList<>(preSync);
        all.addAll(postSync);
        return all;
    }

    public boolean inProgress() {
        return !progressive.isEmpty();
    }

    /** The highest last step of the workloads mid-rollout: where the whole rollout is done. */
    public int lastStep() {
        return progressive.stream().mapToInt(Progressive::lastStep).max().orElse(0);
    }
}
