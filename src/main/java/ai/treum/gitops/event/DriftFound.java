package ai.treum.gitops.event;

import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.ObjectDrift;
import java.time.Instant;
import java.util.List;

/**
 * The environment differs from its revision: objects to apply ({@code drift}, redacted) or to
 * prune ({@code stale}). {@code apply} is false when auto-sync or self-heal forbid writing;
 * {@code requestedAt} is when the sync began, so its duration covers planning and applying; {@code user}
 * is who asked for it, empty for the daemon's own triggers; {@code traceParent} the planning span.
 */
public record DriftFound(String environment, Revision revision, Trigger trigger, List<ObjectDrift> drift, int stale,
        boolean apply, Instant requestedAt, String user, String traceParent) {
}
