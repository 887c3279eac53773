package ai.treum.gitops.core.notify;

import ai.treum.gitops.model.NotificationTarget.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Something people must hear of about an environment. The message is built by the daemon from
 * names, revisions and reasons; it never holds a value from a Secret.
 *
 * @param revision the commit it is about (the one that failed, was denied, synced or became healthy)
 */
public record Notification(String environment, Reason reason, String revision, String message, Instant at) {

    /** The first of several findings, and how many more: a message stays one line however many there are. */
    public static String firstOf(List<?> items) {
        return items.isEmpty() ? "no detail" : items.get(0) + (items.size() > 1 ? " (and " + (items.size() - 1)
                + " more)" : "");
    }

    /** What happened, how much it matters, and what a commit status says of it (null: nothing). */
    public enum Reason {
        SYNC_STARTED("SyncStarted", Severity.INFO, "pending"),
        HEALTHY("Healthy", Severity.INFO, "success"),
        SYNC_FAILED("SyncFailed", Severity.WARNING, "failure"),
        ROLLED_BACK("RolledBack", Severity.WARNING, "failure"),
        POLICY_VIOLATION("PolicyViolation", Severity.WARNING, "failure"),
        AWS_MANUAL_ACTION_NEEDED("AwsManualActionNeeded", Severity.WARNING, null);

        private final String title;
        private final Severity severity;
        private final String commitState;

        Reason(String title, Severity severity, String commitState) {
            this.title = title;
            this.severity = severity;
            this.commitState = commitState;
        }

        /** As environment.yaml filters by it and messages name it: {@code RolledBack}. */
        public String title() {
            return title;
        }

        public Severity severity() {
            return severity;
        }

        public String commitState() {
            return commitState;
        }

        public static boolean known(String title) {
            for (Reason reason : values()) {
                if (reason.title.equals(title)) {
                    return true;
                }
            }
            return false;
        }
    }
}
