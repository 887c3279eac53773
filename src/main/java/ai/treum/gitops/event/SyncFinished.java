package ai.treum.gitops.event;

import ai.treum.gitops.reconcile.SyncResult;
import java.time.Duration;

/** A sync ended, however it ended. */
public record SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took) {
}
