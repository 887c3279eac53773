package ai.treum.gitops.core.inventory;

import ai.treum.gitops.model.InventoryEntry;
import java.util.List;

/**
 * What a sync may delete. {@code blocked} names the guard that stopped the whole prune (then
 * {@code delete} is empty); {@code kept} are stale objects that must stay (annotated so, or of a
 * kind that holds data), which leave the inventory without being deleted.
 */
public record PrunePlan(List<InventoryEntry> delete, List<Kept> kept, String blocked) {

    /** A stale object left in place, and why. */
    public record Kept(InventoryEntry entry, String reason) {
    }
}
