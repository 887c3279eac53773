package ai.treum.gitops.port;

import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.model.NotificationTarget;
import java.util.List;

/** Tells people: Slack, signed webhooks, GitHub commit statuses. */
public interface Notifier {

    /** Hears how each delivery ended: sent, or given up on (dead-lettered). */
    @FunctionalInterface
    interface Outcomes {
        void delivered(String environment, String target, boolean sent);
    }

    /**
     * Sends the notification to each target that takes it, in the background, retrying with
     * backoff; never blocks the caller, never throws.
     */
    void send(List<NotificationTarget> targets, Notification notification);
}
