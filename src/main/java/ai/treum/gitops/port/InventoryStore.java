package ai.treum.gitops.port;

import ai.treum.gitops.model.InventoryEntry;
import java.util.SortedSet;

/** Where each environment's inventory lives: in the cluster, so a restarted daemon knows it. */
public interface InventoryStore {

    /** The environment's inventory; empty when it has none yet. */
    SortedSet<InventoryEntry> load(String environment);

    void save(String environment, SortedSet<InventoryEntry> entries);
}
