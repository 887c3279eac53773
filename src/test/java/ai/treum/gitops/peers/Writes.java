package ai.treum.gitops.peers;

import ai.treum.gitops.core.plan.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What only a write by the daemon changes on an object. A resourceVersion will not do for
 * workloads: kube-controller-manager keeps writing their status.
 */
public final class Writes {

    private Writes() {
    }

    /** The generation (spec changes) and the daemon's field-manager entry (operation, time, fields). */
    public static String byTheDaemon(HasMetadata object) {
        return object.getMetadata().getGeneration() + " " + object.getMetadata().getManagedFields().stream()
                .filter(m -> Ownership.ownManager(m.getManager()))
                .map(m -> m.getOperation() + " " + m.getTime() + " " + m.getFieldsV1().getAdditionalProperties()).toList();
    }
}
