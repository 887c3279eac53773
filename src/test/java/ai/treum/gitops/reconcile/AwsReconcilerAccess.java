package ai.treum.gitops.reconcile;

import ai.treum.gitops.port.AwsApplier;
import ai.treum.gitops.port.AwsReader;
import ai.treum.gitops.port.EventRecorder;

/** Builds an AwsReconciler outside CDI, for tests in other packages. */
public final class AwsReconcilerAccess {

    private AwsReconcilerAccess() {
    }

    public static AwsReconciler reconciler(AwsReader reader, AwsApplier applier, EventRecorder events) {
        return reconciler(reader, applier, events, new History(new MemoryHistoryStore(), 100));
    }

    public static AwsReconciler reconciler(AwsReader reader, AwsApplier applier, EventRecorder events, History history) {
        return new AwsReconciler(reader, applier, new AwsStatuses(), events, Notifications.NONE, history);
    }
}
