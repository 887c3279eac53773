package ai.treum.gitops.core.inventory;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.GroupKind;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides what to prune: only objects in the environment's inventory that Git no longer
 * declares, and only when every guard allows it. Pure; the caller reads the live objects.
 */
public final class PrunePlanner {

    /**
     * Kinds whose deletion destroys data or takes much with it (a Namespace all its objects, a CRD
     * all its custom resources): pruned only when the live object says {@code prune: allow}.
     */
    private static final Set<GroupKind> HOLDING_DATA = GroupKind.setOf("/Namespace", "/PersistentVolumeClaim", "/PersistentVolume",
            "apiextensions.k8s.io/CustomResourceDefinition");

    private PrunePlanner() {
    }

    /**
     * Why a stale object must stay, from its live form (null when gone); empty when prune may delete it.
     */
    public static Optional<String> keepReason(ResourceKey key, ObjectNode live) {
        String annotation = live == null ? ""
                : live.path("metadata").path("annotations").path(Ownership.PRUNE_ANNOTATION).asText("");
        if (annotation.equalsIgnoreCase(Ownership.PRUNE_DISABLED)) {
            return Optional.of("annotated " + Ownership.PRUNE_ANNOTATION + "=" + Ownership.PRUNE_DISABLED);
        }
        if (live != null && HOLDING_DATA.contains(key.groupKind())
                && !annotation.equalsIgnoreCase(Ownership.PRUNE_ALLOW)) {
            return Optional.of("a " + key.kind() + " is deleted with what it holds, so only when annotated "
                    + Ownership.PRUNE_ANNOTATION + "=" + Ownership.PRUNE_ALLOW);
        }
        return Optional.empty();
    }

    /**
     * @param inventory       what the daemon applied for the environment before this sync
     * @param desired         what Git declares now
     * @param kept            why a stale object must stay, empty when it may go ({@link #keepReason})
     * @param allowEmpty      whether an empty desired set may prune the whole environment
     * @param maxPrunePercent the largest share of the inventory one sync may delete
     */
    public static PrunePlan plan(SortedSet<InventoryEntry> inventory, Set<ResourceKey> desired,
            Function<InventoryEntry, Optional<String>> kept, boolean allowEmpty, int maxPrunePercent) {
        List<InventoryEntry> stale = inventory.stream().filter(e -> !desired.contains(e.key())).toList();
        if (stale.isEmpty()) {
            return new PrunePlan(List.of(), List.of(), null);
        }
        if (desired.isEmpty() && !allowEmpty) {
            return new PrunePlan(List.of(), List.of(), "Git declares no objects; pruning all " + stale.size()
                    + " would empty the environment (set spec.sync.allowEmpty to allow it)");
        }
        List<InventoryEntry> delete = new ArrayList<>();
        List<PrunePlan.Kept> staying = new ArrayList<>();
        for (InventoryEntry entry : stale) {
            kept.apply(entry).ifPresentOrElse(reason -> staying.add(new PrunePlan.Kept(entry, reason)),
                    () -> delete.add(entry));
        }
        long limit = (long) Math.floor(inventory.size() * maxPrunePercent / 100.0);
        if (delete.size() > limit && !(desired.isEmpty() && allowEmpty)) {
            return new PrunePlan(List.of(), List.of(), "would prune " + delete.size() + " of " + inventory.size()
                    + " objects, over the limit of " + maxPrunePercent + "% (spec.sync.maxPrunePercent)");
        }
        return new PrunePlan(List.copyOf(delete), List.copyOf(staying), null);
    }

    /**
     * What one sync deletes, the one computation the sync, its drift lines and {@code plan} share:
     * where the environment prunes, {@link #plan}; where it does not, only what a rollout retired
     * (an old colour, a finished canary: the rollout made them, so no guard keeps them).
     *
     * @param desired what the sync applies, hooks included
     * @param retired what the rollout retired
     */
    public static PrunePlan forSync(EnvironmentSpec.SyncPolicy sync, SortedSet<InventoryEntry> inventory,
            Set<ResourceKey> desired, Set<ResourceKey> retired, Function<InventoryEntry, Optional<String>> kept) {
        if (!sync.prune()) {
            return new PrunePlan(inventory.stream().filter(e -> retired.contains(e.key()) && !desired.contains(e.key()))
                    .toList(), List.of(), null);
        }
        return plan(inventory, desired, kept, sync.allowEmpty(), sync.maxPrunePercent());
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
