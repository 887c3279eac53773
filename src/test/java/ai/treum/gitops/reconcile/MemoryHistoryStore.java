package ai.treum.gitops.reconcile;

import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.port.HistoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A history kept in memory, for tests of what is recorded rather than where (the cluster's store has its own). */
public final class MemoryHistoryStore implements HistoryStore {

    private final Map<String, List<HistoryRecord>> records = new ConcurrentHashMap<>();

    @Override
    public List<HistoryRecord> read(String environment) {
        return List.copyOf(records.getOrDefault(environment, List.of()));
    }

    @Override
    public void append(String environment, List<HistoryRecord> added, int keep) {
        records.compute(environment, (e, old) -> {
            List<HistoryRecord> all = new ArrayList<>(old == null ? List.of() : old);
            all.addAll(added);
            return new ArrayList<>(all.subList(Math.max(0, all.size() - keep), all.size()));
        });
    }
}
