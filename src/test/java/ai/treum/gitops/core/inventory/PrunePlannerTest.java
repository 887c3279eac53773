package ai.treum.gitops.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
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
                cm("c").key(), cm("new").key()), e -> Optional.empty(), false, 50);

        assertThat(plan.delete()).containsExactly(cm("d"));
        assertThat(plan.blocked()).isNull();
    }

    @Test
    void allowEmptyLetsAnEmptyRevisionPruneEverything() {
        PrunePlan plan = PrunePlanner.plan(inventory("a", "b"), Set.of(), e -> Optional.empty(), true, 10);

        assertThat(plan.delete()).hasSize(2);
    }

    @Test
    void theShareLimitCountsOnlyWhatWouldReallyBeDeleted() {
        PrunePlan plan = PrunePlanner.plan(inventory("a", "b", "c", "d"), Set.of(cm("a").key(), cm("b").key()),
                e -> e.key().name().equals("c") ? Optional.of("annotated") : Optional.empty(), false, 25);

        assertThat(plan.delete()).containsExactly(cm("d"));
        assertThat(plan.kept()).containsExactly(new PrunePlan.Kept(cm("c"), "annotated"));
    }

    @Test
    void survivorsOfAFailedPruneStayInTheInventory() {
        SortedSet<InventoryEntry> next = PrunePlanner.next(Set.of(cm("a")), inventory("a", "b", "c", "d"),
                Set.of(cm("b").key()), Set.of(cm("c").key()));

        assertThat(next).withFailMessage("d's deletion failed, so a later sync must still know it").containsExactly(cm("a"), cm("d"));
    }

    @Test
    void kindsThatHoldDataArePrunedOnlyWhenTheirLiveObjectAllowsIt() {
        ResourceKey namespace = new ResourceKey("", "Namespace", null, "treum-staging");
        ResourceKey claim = new ResourceKey("", "PersistentVolumeClaim", "treum-staging", "data");
        ResourceKey volume = new ResourceKey("", "PersistentVolume", null, "pv-1");
        ResourceKey crd = new ResourceKey("apiextensions.k8s.io", "CustomResourceDefinition", null, "widgets.treum.ai");
        for (ResourceKey key : List.of(namespace, claim, volume, crd)) {
            assertThat(PrunePlanner.keepReason(key, live(null))).as("%s without the annotation stays", key)
                    .hasValueSatisfying(reason -> assertThat(reason).contains("gitops.treum.ai/prune=allow"));
            assertThat(PrunePlanner.keepReason(key, live("allow"))).as("%s annotated allow may go", key).isEmpty();
        }
        assertThat(PrunePlanner.keepReason(namespace, null)).as("nothing to keep when it is gone already").isEmpty();
    }

    @Test
    void anyObjectAnnotatedDisabledStaysAndOthersMayGo() {
        assertThat(PrunePlanner.keepReason(cm("a").key(), live("disabled"))).hasValue("annotated gitops.treum.ai/prune=disabled");
        assertThat(PrunePlanner.keepReason(cm("a").key(), live(null))).isEmpty();
    }

    private static ObjectNode live(String prune) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        if (prune != null) {
            object.with("metadata").with("annotations").put("gitops.treum.ai/prune", prune);
        }
        return object;
    }

    @Test
    void withPruneOffASyncDeletesOnlyWhatTheRolloutRetiredAndWithItOnWhatTheGuardsLetGo() {
        SortedSet<InventoryEntry> inventory = inventory("a", "web-green", "gone", "held");
        Set<ResourceKey> desired = Set.of(cm("a").key());
        Set<ResourceKey> retired = Set.of(cm("web-green").key());
        var off = EnvironmentSpec.SyncPolicy.defaults();
        var on = new EnvironmentSpec.SyncPolicy(true, true, false, off.interval(), false, 100);

        PrunePlan kept = PrunePlanner.forSync(off, inventory, desired, retired, e -> Optional.of("never asked"));
        PrunePlan pruned = PrunePlanner.forSync(on, inventory, desired, retired,
                e -> e.key().name().equals("held") ? Optional.of("annotated") : Optional.empty());

        assertThat(kept.delete()).containsExactly(cm("web-green"));
        assertThat(kept.kept()).isEmpty();
        assertThat(pruned.delete()).containsExactly(cm("gone"), cm("web-green"));
        assertThat(pruned.kept()).containsExactly(new PrunePlan.Kept(cm("held"), "annotated"));
    }
}
