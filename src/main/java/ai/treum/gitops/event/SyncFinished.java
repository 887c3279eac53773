package ai.treum.gitops.event;

import ai.treum.gitops.model.SyncResult;
import java.time.Duration;

/**
 * A sync ended, however it ended; {@code user} is who asked for it, empty for the daemon's own
 * triggers; {@code traceParent} the step that ended it ({@link TraceParent}).
 */
public record SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took, String user,
        String traceParent) {

    /** A sync that ended in the span current on this thread. */
    public SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took, String user) {
        this(environment, trigger, result, took, user, TraceParent.current());
    }

    public SyncFinished(String environment, Trigger trigger, SyncResult result, Duration took) {
        this(environment, trigger, result, took, "");
    }
}
