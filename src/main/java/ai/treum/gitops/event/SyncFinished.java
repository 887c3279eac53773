package ai.treum.gitops.event;

import ai.treum.gitops.reconcile.SyncResult;
import java.time.Duration;

/** A sync ended, however it ended; {@code user} is who asked for it, empty for the daemon's own triggers. */
public record SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took, String user) {

    public SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took) {
        this(environment, trigger, result, took, "");
    }
}
