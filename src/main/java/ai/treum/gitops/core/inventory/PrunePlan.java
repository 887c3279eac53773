package ai.treum.gitops.core.inventory;

import ai.treum.gitops.model.InventoryEntry;
import java.util.List;

/**
 * What a sync may delete. {@code blocked} names the guard that stopped the whole prune (then
 * {@code delete} is empty); {@code kept} are stale objects annotated to stay, which leave the
 * inventory without being deleted.
 */
public record PrunePlan(List<InventoryEntry> delete, List<InventoryEntry> kept, String blocked) {
}
