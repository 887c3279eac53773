package ai.treum.gitops.core.sync;

import ai.treum.gitops.model.EnvironmentSpec.SyncPolicy;
import ai.treum.gitops.model.Revision;
import java.util.Optional;

/** Whether a sync that found differences may write, or only report them. */
public final class SyncDecision {

    private SyncDecision() {
    }

    /**
     * A request by hand always applies. An automatic one applies only with auto-sync on, and then
     * a revision that already synced is applied again only with self-heal: without it, a hand edit
     * stays (reported as drift) until Git changes.
     *
     * @param automatic whether the daemon asked for the sync itself (a timer, a commit, drift), not a person or a rollout
     */
    public static boolean shouldApply(boolean automatic, SyncPolicy policy, Revision revision, Optional<Revision> lastGood) {
        if (!automatic) {
            return true;
        }
        if (!policy.auto()) {
            return false;
        }
        return policy.selfHeal() || !lastGood.map(revision::equals).orElse(false);
    }
}
