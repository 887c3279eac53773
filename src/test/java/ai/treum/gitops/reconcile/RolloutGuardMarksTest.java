package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.InventoryStore;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The rollout marks a replica keeps in memory: read from the inventory once, then kept; read
 * again after a shard hand-over, since the previous holder wrote marks this replica never saw.
 * The inventory is a map here: only its marks are asked, and no other collaborator is.
 */
class RolloutGuardMarksTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final RolloutGuard guard = new RolloutGuard(new InventoryStore() {
        @Override
        public Versioned loadVersioned(String environment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Versioned save(String environment, Versioned expected, SortedSet<InventoryEntry> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> marks(String environment) {
            return Map.copyOf(stored);
        }

        @Override
        public void mark(String environment, Map<String, String> marks) {
            stored.putAll(marks);
        }
    }, null, null, null, null, null, null);

    @Test
    void marksWrittenByAnotherReplicaAreSeenOnceTheShardIsTakenOver() {
        stored.put(RolloutGuard.HEALTHY, A);
        assertThat(guard.healthy("production")).contains(new Revision(A));

        stored.put(RolloutGuard.HEALTHY, B);
        assertThat(guard.healthy("production")).as("kept in memory").contains(new Revision(A));

        guard.forget("production");
        assertThat(guard.healthy("production")).contains(new Revision(B));
    }

    @Test
    void aFirstWriteKeepsTheMarksNotReadYet() {
        stored.put(RolloutGuard.SYNCED, A);

        guard.mark("production", Map.of(RolloutGuard.HEALTHY, B));

        assertThat(guard.lastSynced("production")).as("an environment that synced before").contains(new Revision(A));
        assertThat(guard.healthy("production")).contains(new Revision(B));
    }
}
