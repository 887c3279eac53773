package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.Trigger;
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
     */
    public static boolean shouldApply(Trigger trigger, SyncPolicy policy, Revision revision, Optional<Revision> lastGood) {
        if (!trigger.automatic()) {
            return true;
        }
        if (!policy.auto()) {
            return false;
        }
        return policy.selfHeal() || !lastGood.map(revision::equals).orElse(false);
    }
}
