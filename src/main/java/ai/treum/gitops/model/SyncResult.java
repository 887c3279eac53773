package ai.treum.gitops.model;

import java.util.List;

/**
 * What one sync of one environment did.
 *
 * @param outcome  SYNCED when every object is as Git says; OUT_OF_SYNC when it differs and
 *                 auto-sync is off; FAILED when some write failed (the rest were done, later
 *                 waves and prune were not); REJECTED when the revision was refused before
 *                 anything was written
 * @param changes  one entry per object written, skipped or left unchanged, in apply order, then prunes
 * @param drift    the differences found before applying, redacted
 * @param errors   why the revision was rejected or the sync failed, each naming file, line or object
 * @param pruneBlocked the guard that stopped pruning, or null
 */
public record SyncResult(String environment, String revision, Outcome outcome, List<ChangeEntry> changes,
        List<ObjectDrift> drift, List<String> errors, String pruneBlocked) {

    public enum Outcome {
        SYNCED, OUT_OF_SYNC, FAILED, REJECTED
    }

    public static SyncResult rejected(String environment, String revision, List<String> errors) {
        return new SyncResult(environment, revision, Outcome.REJECTED, List.of(), List.of(), List.copyOf(errors), null);
    }

    /** An unexpected error outside any one object's write. */
    public static SyncResult failed(String environment, String revision, Exception cause) {
        return new SyncResult(environment, revision, Outcome.FAILED, List.of(), List.of(),
                List.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()), null);
    }

    /** The plan alone, when nothing was to be written or nothing may be. */
    public static SyncResult planned(String environment, String revision, Outcome outcome, List<ObjectDrift> drift) {
        return new SyncResult(environment, revision, outcome, List.of(), List.copyOf(drift), List.of(), null);
    }

    /** Every drift line of every object. */
    public List<String> driftLines() {
        return drift.stream().flatMap(d -> d.lines().stream()).toList();
    }

    /** Entries that changed the cluster. */
    public List<ChangeEntry> writes() {
        return changes.stream().filter(c -> c.action().wrote()).toList();
    }
}
