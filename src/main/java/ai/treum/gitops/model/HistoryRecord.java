package ai.treum.gitops.model;

import java.time.Instant;
import java.util.Map;

/**
 * One thing the daemon did to an environment, as its history keeps it.
 *
 * @param kind     what it was
 * @param revision the commit it was about (for a rollback: the revision rolled back to)
 * @param trigger  what asked for it, lower case: {@code webhook}, {@code interval}, {@code api}, ...
 * @param user     who asked, as the API server authenticated them; empty for the daemon's own triggers
 * @param result   how it ended, lower case: {@code synced}, {@code failed}, {@code rolled-back}, ...
 * @param counts   how many objects (or AWS resources) each action touched, by action name
 * @param started  when it started
 * @param finished when it ended
 * @param message  why, in one line of at most {@value #MESSAGE_MAX} characters: the first error, the
 *                 rollback's reason; empty when there is nothing to say
 */
public record HistoryRecord(Kind kind, String revision, String trigger, String user, String result,
        Map<String, Integer> counts, Instant started, Instant finished, String message) {

    public enum Kind {
        /** a sync of the environment's Kubernetes objects; */
        SYNC,
        /** a revision rolled back, automatically or by hand; */
        ROLLBACK,
        /** declared AWS resources modified back to what Git says. */
        AWS
    }

    /** The longest message kept: a history is read in a table, and a ConfigMap holds at most 1 MiB. */
    static final int MESSAGE_MAX = 500;

    public HistoryRecord {
        counts = Map.copyOf(counts);
        message = message.length() > MESSAGE_MAX ? message.substring(0, MESSAGE_MAX - 1) + "…" : message;
    }

    /** Whether the two say the same of the same revision, so the later adds nothing to a history. */
    public boolean repeats(HistoryRecord earlier) {
        return earlier != null && kind == earlier.kind && revision.equals(earlier.revision)
                && result.equals(earlier.result) && message.equals(earlier.message);
    }
}
