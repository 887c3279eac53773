package ai.treum.gitops.model;

import java.util.List;

/**
 * What a sync would do, computed without writing.
 *
 * @param errors why the revision cannot be applied at all; empty when it can
 * @param drift  the objects that differ, each with redacted lines saying how; prune candidates too
 * @param stale  inventory entries that Git no longer declares, where the environment prunes
 */
public record SyncPlan(List<String> errors, List<ObjectDrift> drift, List<InventoryEntry> stale) {

    public boolean rejected() {
        return !errors.isEmpty();
    }

    public boolean nothingToDo() {
        return errors.isEmpty() && drift.isEmpty();
    }
}
