package ai.treum.gitops.core.shard;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * How environments are shared out among the daemon's replicas. An environment's shard depends on
 * its name alone, never on a revision, so two replicas that read Git at different moments never
 * disagree about it. Each live replica contends for every n-th shard, n being the number of live
 * replicas and its offset its rank among their names; a replica left alone contends for all.
 */
public final class Shards {

    private Shards() {
    }

    /** The shard, in [0, count), that the environment belongs to. */
    public static int of(String environment, int count) {
        CRC32 crc = new CRC32();
        crc.update(environment.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    /**
     * The shards the replica named {@code self} should hold, given the names of the live replicas
     * (itself counted whether or not it is among them yet).
     */
    public static SortedSet<Integer> wanted(int count, Collection<String> live, String self) {
        SortedSet<String> members = new TreeSet<>(live);
        members.add(self);
        int rank = members.headSet(self).size();
        SortedSet<Integer> wanted = new TreeSet<>();
        for (int shard = rank; shard < count; shard += members.size()) {
            wanted.add(shard);
        }
        return wanted;
    }
}
