package ai.treum.gitops.core.inventory;

import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Decides what to prune: only objects in the environment's inventory that Git no longer
 * declares, and only when every guard allows it. Pure; the caller reads the annotations.
 */
public final class PrunePlanner {

    private PrunePlanner() {
    }

    /**
     * @param inventory       what the daemon applied for the environment before this sync
     * @param desired         what Git declares now
     * @param pruneDisabled   whether a stale object's live annotation forbids deleting it
     * @param allowEmpty      whether an empty desired set may prune the whole environment
     * @param maxPrunePercent the largest share of the inventory one sync may delete
     */
    public static PrunePlan plan(SortedSet<InventoryEntry> inventory, Set<ResourceKey> desired,
            Predicate<InventoryEntry> pruneDisabled, boolean allowEmpty, int maxPrunePercent) {
        List<InventoryEntry> stale = inventory.stream().filter(e -> !desired.contains(e.key())).toList();
        if (stale.isEmpty()) {
            return new PrunePlan(List.of(), List.of(), null);
        }
        if (desired.isEmpty() && !allowEmpty) {
            return new PrunePlan(List.of(), List.of(), "Git declares no objects; pruning all " + stale.size()
                    + " would empty the environment (set spec.sync.allowEmpty to allow it)");
        }
        List<InventoryEntry> delete = new ArrayList<>();
        List<InventoryEntry> kept = new ArrayList<>();
        for (InventoryEntry entry : stale) {
            (pruneDisabled.test(entry) ? kept : delete).add(entry);
        }
        long limit = (long) Math.floor(inventory.size() * maxPrunePercent / 100.0);
        if (delete.size() > limit && !(desired.isEmpty() && allowEmpty)) {
            return new PrunePlan(List.of(), List.of(), "would prune " + delete.size() + " of " + inventory.size()
                    + " objects, over the limit of " + maxPrunePercent + "% (spec.sync.maxPrunePercent)");
        }
        return new PrunePlan(List.copyOf(delete), List.copyOf(kept), null);
    }

    /**
     * The inventory after a sync: everything desired, plus every stale object that is still there
     * (prune off, blocked, or its deletion failed), so a later sync tries again.
     */
    public static SortedSet<InventoryEntry> next(Set<InventoryEntry> desired, SortedSet<InventoryEntry> previous,
            Set<ResourceKey> deleted, Set<ResourceKey> released) {
        SortedSet<InventoryEntry> next = new TreeSet<>(desired);
        Set<ResourceKey> desiredKeys = desired.stream().map(InventoryEntry::key).collect(java.util.stream.Collectors.toSet());
        for (InventoryEntry entry : previous) {
            if (!desiredKeys.contains(entry.key()) && !deleted.contains(entry.key()) && !released.contains(entry.key())) {
                next.add(entry);
            }
        }
        return next;
    }
}
