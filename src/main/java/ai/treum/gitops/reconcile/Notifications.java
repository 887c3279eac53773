package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.notify.Notification.Reason;

/** Tells people what happened to an environment, as its {@code spec.notifications} say. */
@FunctionalInterface
public interface Notifications {

    /** Nobody is told: for checks run outside the daemon. */
    Notifications NONE = (environment, reason, revision, message) -> { };

    /** @param revision the commit it is about; {@code message} names what happened, never a secret value */
    void tell(String environment, Reason reason, String revision, String message);
}
