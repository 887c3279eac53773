package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.port.Notifier;
import ai.treum.gitops.port.ShardOwnership;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the targets an environment's {@code spec.notifications} names at Git's head. Only the
 * replica holding the environment speaks for it, so a rollback is told once however many replicas
 * run; and news that repeats the last of its environment is not told again.
 */
@ApplicationScoped
public class NotificationsAtHead implements Notifications {

    private final HeadEnvironments heads;
    private final Notifier notifier;
    private final ShardOwnership shards;
    private final Map<String, String> last = new ConcurrentHashMap<>();

    NotificationsAtHead(HeadEnvironments heads, Notifier notifier, ShardOwnership shards) {
        this.heads = heads;
        this.notifier = notifier;
        this.shards = shards;
    }

    @Override
    public void tell(String environment, Reason reason, String revision, String message) {
        // the same news of the same revision twice in a row (a retried sync, a recheck) is told once
        if (!shards.holds(environment) || (reason + " " + revision).equals(last.put(environment, reason + " " + revision))) {
            return;
        }
        heads.spec(environment).filter(spec -> !spec.notifications().isEmpty()).ifPresent(spec -> notifier.send(
                spec.notifications(), new Notification(environment, reason, revision, message, Instant.now())));
    }
}
