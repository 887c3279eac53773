package ai.treum.gitops.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardsTest {

    @Test
    void anEnvironmentsShardDependsOnItsNameAlone() {
        assertThat(Shards.of("production", 2)).isEqualTo(Shards.of("production", 2)).isBetween(0, 1);
        assertThat(Shards.of("production", 2)).isNotEqualTo(Shards.of("staging", 2));
        assertThat(IntStream.range(0, 200).map(i -> Shards.of("env-" + i, 4)).boxed())
                .allSatisfy(shard -> assertThat(shard).isBetween(0, 3))
                .as("200 names reach every one of 4 shards").containsAll(List.of(0, 1, 2, 3));
    }

    @Test
    void aLoneReplicaWantsEveryShard() {
        assertThat(Shards.wanted(3, List.of(), "treum-gitops-a")).containsExactly(0, 1, 2);
        assertThat(Shards.wanted(3, List.of("treum-gitops-a"), "treum-gitops-a")).containsExactly(0, 1, 2);
    }

    @Test
    void liveReplicasShareTheShardsOutWithoutOverlap() {
        List<String> members = List.of("treum-gitops-c", "treum-gitops-a", "treum-gitops-b");
        List<Integer> all = new ArrayList<>();
        for (String member : members) {
            Set<Integer> wanted = Shards.wanted(7, members, member);
            assertThat(wanted).hasSizeBetween(2, 3);
            all.addAll(wanted);
        }
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(Shards.wanted(7, members, "treum-gitops-a")).containsExactly(0, 3, 6);
    }

    @Test
    void aReplicaNotYetSeenCountsItselfIn() {
        assertThat(Shards.wanted(2, List.of("treum-gitops-a"), "treum-gitops-b")).containsExactly(1);
        assertThat(Shards.wanted(2, List.of("treum-gitops-b"), "treum-gitops-a")).containsExactly(0);
    }

    @Test
    void moreReplicasThanShardsLeaveSomeIdle() {
        List<String> members = List.of("a", "b", "c");
        assertThat(Shards.wanted(2, members, "c")).isEmpty();
        assertThat(Shards.wanted(2, members, "a")).containsExactly(0);
    }
}
