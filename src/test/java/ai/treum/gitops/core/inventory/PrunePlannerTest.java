package ai.treum.gitops.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {

    private static InventoryEntry cm(String name) {
        return new InventoryEntry(new ResourceKey("", "ConfigMap", "treum-staging", name), "v1");
    }

    private static SortedSet<InventoryEntry> inventory(String... names) {
        return Stream.of(names).map(PrunePlannerTest::cm).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void deletesOnlyInventoryEntriesGitNoLongerDeclares() {
        PrunePlan plan = PrunePlanner.plan(inventory("a", "b", "c", "d"), Set.of(cm("a").key(), cm("b").key(),
                cm("c").key(), cm("new").key()), e -> false, false, 50);

        assertThat(plan.delete()).containsExactly(cm("d"));
        assertThat(plan.blocked()).isNull();
    }

    @Test
    void allowEmptyLetsAnEmptyRevisionPruneEverything() {
        PrunePlan plan = PrunePlanner.plan(inventory("a", "b"), Set.of(), e -> false, true, 10);

        assertThat(plan.delete()).hasSize(2);
    }

    @Test
    void theShareLimitCountsOnlyWhatWouldReallyBeDeleted() {
        PrunePlan plan = PrunePlanner.plan(inventory("a", "b", "c", "d"), Set.of(cm("a").key(), cm("b").key()),
                e -> e.key().name().equals("c"), false, 25);

        assertThat(plan.delete()).containsExactly(cm("d"));
        assertThat(plan.kept()).containsExactly(cm("c"));
    }

    @Test
    void survivorsOfAFailedPruneStayInTheInventory() {
        SortedSet<InventoryEntry> next = PrunePlanner.next(Set.of(cm("a")), inventory("a", "b", "c", "d"),
                Set.of(cm("b").key()), Set.of(cm("c").key()));

        assertThat(next).withFailMessage("d's deletion failed, so a later sync must still know it").containsExactly(cm("a"), cm("d"));
    }
}
