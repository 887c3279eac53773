package ai.treum.gitops.port;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;

/** Writes to the cluster. Every call returns what it did; none throws for a per-object failure. */
public interface ClusterApplier {

    /** Server-side apply under the daemon's field manager. */
    ChangeEntry apply(DesiredResource resource, boolean forceConflicts);

    /** Deletes and creates again: for a change to an immutable field, where the object opted in. */
    ChangeEntry recreate(DesiredResource resource);

    /** Deletes with background propagation; an object already gone counts as deleted. */
    ChangeEntry delete(InventoryEntry entry);

    /** Waits until a CustomResourceDefinition reports Established; false when it does not in time. */
    boolean awaitEstablished(String crdName);
}
