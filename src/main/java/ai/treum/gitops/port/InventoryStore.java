package ai.treum.gitops.port;

import ai.treum.gitops.model.InventoryEntry;
import java.util.Map;
import java.util.SortedSet;

/** Where each environment's inventory lives: in the cluster, so a restarted daemon knows it. */
public interface InventoryStore {

    /** The environment's inventory; empty when it has none yet. */
    SortedSet<InventoryEntry> load(String environment);

    void save(String environment, SortedSet<InventoryEntry> entries);

    /** Marks kept beside the inventory, so a restarted daemon knows them: the last healthy revision, ... */
    Map<String, String> marks(String environment);

    /** Sets these marks, keeping the others. */
    void mark(String environment, Map<String, String> marks);
}
