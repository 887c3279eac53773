package ai.treum.gitops.port;

import ai.treum.gitops.model.HistoryRecord;
import java.util.List;

/** Where each environment's history lives, so a restarted or replaced daemon still shows it. */
public interface HistoryStore {

    /** The environment's history, oldest first; empty when it has none yet. */
    List<HistoryRecord> read(String environment);

    /**
     * Adds records after the ones kept, then keeps only the newest {@code keep}.
     *
     * @throws InventoryStore.Conflict when this replica no longer holds the environment's shard
     */
    void append(String environment, List<HistoryRecord> records, int keep);
}
