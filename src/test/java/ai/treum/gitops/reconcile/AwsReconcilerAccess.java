package ai.treum.gitops.reconcile;

import ai.treum.gitops.port.AwsApplier;
import ai.treum.gitops.port.AwsReader;
import ai.treum.gitops.port.EventRecorder;

/** Builds an AwsReconciler outside CDI, for tests in other packages. */
public final class AwsReconcilerAccess {

    private AwsReconcilerAccess() {
    }

    public static AwsReconciler reconciler(AwsReader reader, AwsApplier applier, EventRecorder events) {
        return new AwsReconciler(reader, applier, new AwsStatuses(), events, Notifications.NONE);
    }
}
