package ai.treum.gitops.port;

import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Writes to the cluster of the object's environment (the environment label the sync stamps on
 * it, or the one named in the call). Every call returns what it did; none throws for a per-object failure.
 * Every write is refused ({@link ChangeEntry#notHeld}, or no hand-over) while another replica
 * holds the environment's shard, retries included.
 */
public interface ClusterApplier {

    /** Server-side apply under the daemon's field manager. */
    ChangeEntry apply(DesiredResource resource, boolean forceConflicts);

    /** Deletes and creates again: for a change to an immutable field, where the object opted in. */
    ChangeEntry recreate(DesiredResource resource);

    /**
     * Deletes with background propagation, only while the object still carries the environment's
     * label, and exactly the object that was checked (a uid precondition): one re-created or
     * relabelled meanwhile is left alone. An object already gone counts as deleted; one that is no
     * longer the environment's is SKIPPED.
     */
    ChangeEntry delete(InventoryEntry entry, String environment);

    /**
     * Gives server-side apply ownership of the live object's fields from one field manager to
     * another, no value changed, with a resourceVersion precondition: the object as it is then,
     * the live one unchanged when {@code from} owns nothing, empty when it changed meanwhile.
     */
    Optional<ObjectNode> handOver(String environment, String apiVersion, ResourceKey key, ObjectNode live, String from,
            String to);

    /** Waits until a CustomResourceDefinition reports Established; false when it does not in time. */
    boolean awaitEstablished(String environment, String crdName);
}
