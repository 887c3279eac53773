package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.aws.AwsChange;
import ai.treum.gitops.core.aws.AwsCheck;
import ai.treum.gitops.core.aws.AwsDiff;
import ai.treum.gitops.core.aws.AwsDrift;
import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.AwsApplier;
import ai.treum.gitops.port.AwsReader;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reads an environment's declared AWS resources from AWS, compares the declared fields, and in
 * enforce mode puts back what the allow-list permits, one modify call per resource. Nothing is
 * ever deleted or replaced: such drift is reported as needing manual action. New drift and every
 * change are logged and become Kubernetes Events on the environment's namespace.
 */
@ApplicationScoped
public class AwsReconciler {

    private static final Logger LOG = Logger.getLogger(AwsReconciler.class);

    private final AwsReader reader;
    private final AwsApplier applier;
    private final AwsStatuses statuses;
    private final EventRecorder events;
    private final Notifications notifications;
    private final History history;
    private final Clock clock;

    AwsReconciler(AwsReader reader, AwsApplier applier, AwsStatuses statuses, EventRecorder events,
            Notifications notifications, History history) {
        this.notifications = notifications;
        this.history = history;
        this.reader = reader;
        this.applier = applier;
        this.statuses = statuses;
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    /** @param mayChange false when the revision may not be applied (a policy denies it): report only */
    public AwsCheck check(EnvironmentSpec environment, Revision revision, List<AwsResource> declared, boolean mayChange) {
        String region = environment.aws().region();
        boolean enforce = environment.aws().enforce() && mayChange;
        Instant started = clock.instant();
        AwsCheck check;
        try {
            List<AwsDrift> drift = declared.isEmpty() ? List.of() : AwsDiff.diff(declared, reader.read(region, declared),
                    environment.name());
            List<AwsChange> changes = new ArrayList<>();
            if (enforce) {
                Map<AwsResource, List<AwsDrift>> fixable = drift.stream().filter(AwsDrift::enforceable)
                        .collect(Collectors.groupingBy(AwsDrift::resource, LinkedHashMap::new, Collectors.toList()));
                fixable.forEach((resource, fields) -> changes.add(applier.apply(region, environment.name(), resource,
                        fields, environment.aws().applyImmediately())));
            }
            check = new AwsCheck(revision.sha(), enforce, clock.instant(), drift, changes, null);
        } catch (RuntimeException e) {
            LOG.warnf("environment %s: AWS could not be read: %s", environment.name(), e.getMessage());
            check = new AwsCheck(revision.sha(), enforce, clock.instant(), List.of(), List.of(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        history.awsChanged(environment.name(), revision, check.changes(), started, clock.instant());
        AwsCheck previous = statuses.record(environment.name(), check).orElse(null);
        report(environment, revision, check, previous);
        return check;
    }

    /** Logs and records only drift not seen in the previous check, and every change. */
    private void report(EnvironmentSpec environment, Revision revision, AwsCheck check, AwsCheck previous) {
        Set<String> known = previous == null ? Set.of()
                : previous.remaining().stream().map(AwsDrift::toString).collect(Collectors.toSet());
        ResourceKey namespace = new ResourceKey("", "Namespace", null, environment.namespace());
        String mode = check.enforced() ? "enforce" : environment.aws().enforce() ? "enforce, held: revision "
                + revision.shortSha() + " did not pass its policies" : "observe";
        for (AwsDrift drift : check.drift()) {
            if (known.contains(drift.toString())) {
                continue;
            }
            LOG.warnf("environment %s: AWS drift (%s): %s", environment.name(), mode, drift);
            events.record(environment.name(), new ObjectEvent(namespace, true, drift.enforceable() ? "AwsDriftDetected" : "AwsManualActionNeeded",
                    drift + " (" + mode + ", revision " + revision.shortSha() + ")"));
        }
        List<AwsDrift> manual = check.remaining().stream().filter(d -> !d.enforceable())
                .filter(d -> !known.contains(d.toString())).toList();
        if (!manual.isEmpty()) {
            notifications.tell(environment.name(), Reason.AWS_MANUAL_ACTION_NEEDED, revision.sha(), manual.size()
                    + " AWS difference(s) need a person: " + Notification.firstOf(manual));
        }
        for (AwsChange change : check.changes()) {
            LOG.infof("environment %s: AWS %s", environment.name(), change);
            events.record(environment.name(), new ObjectEvent(namespace, !change.applied(), change.applied() ? "AwsChanged" : "AwsChangeFailed",
                    change + " (revision " + revision.shortSha() + ")"));
        }
    }
}
