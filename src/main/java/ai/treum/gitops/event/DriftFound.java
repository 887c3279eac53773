package ai.treum.gitops.event;

import ai.treum.gitops.model.Revision;
import ai.treum.gitops.reconcile.ObjectDrift;
import java.util.List;

/**
 * The environment differs from its revision: objects to apply ({@code drift}, redacted) or to
 * prune ({@code stale}). {@code apply} is false when auto-sync is off and nobody asked by hand.
 */
public record DriftFound(String environment, Revision revision, Trigger trigger, List<ObjectDrift> drift, int stale,
        boolean apply) {
}
