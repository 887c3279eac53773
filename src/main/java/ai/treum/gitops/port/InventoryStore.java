package ai.treum.gitops.port;

import ai.treum.gitops.model.InventoryEntry;
import java.util.Map;
import java.util.SortedSet;

/** Where each environment's inventory lives: in the cluster, so a restarted daemon knows it. */
public interface InventoryStore {

    /** An inventory as read or saved, and the version it was at ({@code ""}: there was none yet). */
    record Versioned(SortedSet<InventoryEntry> entries, String version) {
    }

    /** The environment's inventory and its version; empty when it has none yet. */
    Versioned loadVersioned(String environment);

    /** The environment's inventory; empty when it has none yet. */
    default SortedSet<InventoryEntry> load(String environment) {
        return loadVersioned(environment).entries();
    }

    /**
     * Saves the inventory over the one read or last saved, and only over it: when another writer
     * (a replica that took the environment over) changed its entries meanwhile, nothing is saved.
     *
     * @return the inventory as saved, with its new version
     * @throws Conflict when the entries are no longer {@code expected}'s, or this replica no longer
     *                  holds the environment's shard
     */
    Versioned save(String environment, Versioned expected, SortedSet<InventoryEntry> entries);

    /** Marks kept beside the inventory, so a restarted daemon knows them: the last healthy revision, ... */
    Map<String, String> marks(String environment);

    /**
     * Sets these marks, keeping the others.
     *
     * @throws Conflict when this replica no longer holds the environment's shard
     */
    void mark(String environment, Map<String, String> marks);

    /** The inventory changed since it was read: the sync that read it stops; the next one reads it again. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
