package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Kubernetes Events a finished sync leaves on the objects it concerned: drift found (once,
 * when it first appears), drift healed, applied, pruned, failed. Each message names the revision.
 * Pure; at most {@code limit} events, so a first sync of thousands of objects is not an event storm.
 */
public final class SyncEvents {

    private SyncEvents() {
    }

    public static List<ObjectEvent> of(SyncFinished finished, List<ObjectDrift> previousDrift, int limit) {
        SyncResult result = finished.result();
        String revision = new Revision(result.revision()).shortSha();
        List<ObjectEvent> events = new ArrayList<>();
        if (result.outcome() == SyncResult.Outcome.OUT_OF_SYNC) {
            Set<ResourceKey> known = previousDrift.stream().map(ObjectDrift::key).collect(Collectors.toSet());
            for (ObjectDrift drift : result.drift()) {
                if (!known.contains(drift.key())) {
                    events.add(new ObjectEvent(drift.key(), true, "DriftDetected", "differs from revision " + revision
                            + " (not healed: self-heal is off): " + String.join("; ", drift.lines())));
                }
            }
        }
        boolean healing = finished.trigger() == Trigger.DRIFT;
        String askedBy = finished.user().isEmpty() ? "" : ", asked by " + finished.user();
        for (ChangeEntry change : result.changes()) {
            ObjectEvent event = switch (change.action()) {
                case CREATED, CONFIGURED -> new ObjectEvent(change.key(), false, healing ? "DriftHealed" : "Applied",
                        (healing ? "restored to revision " : "applied revision ") + revision + " ("
                                + change.action().name().toLowerCase() + askedBy + ")");
                case DELETED -> new ObjectEvent(change.key(), false, "Pruned",
                        "deleted: no longer in revision " + revision + (askedBy.isEmpty() ? "" : " (" + askedBy.substring(2) + ")"));
                case CONFLICT, IMMUTABLE, INVALID, FAILED -> new ObjectEvent(change.key(), true, "SyncFailed",
                        "revision " + revision + " not applied" + askedBy + ": " + change.detail());
                default -> null;
            };
            if (event != null) {
                events.add(event);
            }
        }
        return events.size() > limit ? events.subList(0, limit) : events;
    }
}
