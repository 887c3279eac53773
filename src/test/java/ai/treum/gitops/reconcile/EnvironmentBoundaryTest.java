package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.adapter.kubernetes.ManagedObjectCache;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The environment boundary in the cluster, against the real kube-apiserver: an object that exists
 * and is not the environment's is neither taken over nor deleted, data-holding kinds are pruned
 * only where they allow it, and a delete hits exactly the object that was checked.
 */
@Tag("peer")
class EnvironmentBoundaryTest extends ClusterSyncTest {

    EnvironmentBoundaryTest(KubernetesClient client, TestNamespace ns) {
        super(client, ns);
    }

    @Test
    void anObjectOfAnotherEnvironmentIsNeitherTakenOverNorPruned() {
        ConfigMap theirs = client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-shared").addToLabels(Ownership.ENVIRONMENT_LABEL, "production")
                .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).endMetadata()
                .addToData("OWNER", "production").build()).create();

        SyncResult taken = sync(pruning(50), configMap(env + "-shared", ""));

        assertThat(taken.outcome()).isEqualTo(SyncResult.Outcome.REJECTED);
        assertThat(taken.errors()).singleElement().asString().startsWith("test.yaml:1: other-environment: ConfigMap/"
                + ns.name() + "/" + env + "-shared exists and is environment production's");
        assertThat(data(env + "-shared")).containsEntry("OWNER", "production");

        // even listed in this environment's inventory (it was moved), prune leaves it: the label says whose it is
        inventory.save(env, inventory.loadVersioned(env), new java.util.TreeSet<>(List.of(entry(env + "-shared"),
                entry(env + "-mine"))));
        SyncResult pruned = sync(pruning(50), configMap(env + "-mine", ""));

        assertThat(pruned.changes()).filteredOn(c -> c.key().name().equals(env + "-shared")).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(Action.SKIPPED))
                .satisfies(c -> assertThat(c.detail()).contains("labelled as environment production's"));
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-shared").get().getMetadata().getUid())
                .isEqualTo(theirs.getMetadata().getUid());
    }

    @Test
    void theCacheHoldsOnlyTheEnvironmentsObjectsAndNamesTheOwnerOfOneItDoesNotShow() {
        client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-theirs").addToLabels(Ownership.ENVIRONMENT_LABEL, "production")
                .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).endMetadata()
                .addToData("OWNER", "production").build()).create();

        try (ManagedObjectCache cache = new ManagedObjectCache(client, cluster, Duration.ofSeconds(30))) {
            ResourceKey theirs = ResourceKey.of("v1", "ConfigMap", ns.name(), env + "-theirs");
            assertThat(cache.get(env, "v1", theirs)).as("through this environment's informer").isEmpty();
            assertThat(cache.get("production", "v1", theirs)).as("through production's").isPresent();
            assertThat(cache.informerCount()).isEqualTo(2);
            assertThat(cache.notShown(env, "v1", "ConfigMap", ns.name())).containsEntry(env + "-theirs", "production");

            // adopting does not take another environment's object either
            EnvironmentSync watching = new EnvironmentSync(cache, cluster, inventory, SyncObserver.NONE, 4);
            SyncResult refused = watching.sync(spec(pruning(50)), "rev", Rendered.plain(load(configMap(env + "-theirs",
                    "  annotations: {gitops.treum.ai/adopt: \"true\"}\n"))));
            assertThat(refused.errors()).singleElement().asString().contains("other-environment: ConfigMap/" + ns.name()
                    + "/" + env + "-theirs exists and is environment production's");

            cache.retain(e -> !e.equals("production"));
            assertThat(cache.informerCount()).as("production's informer stopped once let go").isEqualTo(1);
        }
    }

    @Test
    void anUnlabelledObjectIsAdoptedOnlyWhereGitOptsIn() {
        client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-hand-made").endMetadata().addToData("BY", "hand").build()).create();

        try (ManagedObjectCache cache = new ManagedObjectCache(client, cluster, Duration.ofSeconds(30))) {
            // the daemon reads through its cache, which shows only labelled objects: the unlabelled one is listed apart
            EnvironmentSync watching = new EnvironmentSync(cache, cluster, inventory, SyncObserver.NONE, 4);
            SyncResult refused = watching.sync(spec(pruning(50)), "rev", Rendered.plain(load(configMap(env + "-hand-made",
                    ""))));
            assertThat(refused.outcome()).isEqualTo(SyncResult.Outcome.REJECTED);
            assertThat(refused.errors()).singleElement().asString().contains("adoption: ConfigMap/" + ns.name() + "/"
                    + env + "-hand-made exists and is not managed by treum-gitops").contains(Ownership.ADOPT_ANNOTATION);
            assertThat(data(env + "-hand-made")).containsEntry("BY", "hand");

            SyncResult adopted = watching.sync(spec(pruning(50)), "rev", Rendered.plain(load(configMap(env + "-hand-made",
                    "  annotations: {gitops.treum.ai/adopt: \"true\"}\n"))));
            assertThat(adopted.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
            assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-hand-made").get().getMetadata()
                    .getLabels()).containsEntry(Ownership.ENVIRONMENT_LABEL, env);
        }
    }

    @Test
    void aNamespaceRemovedFromGitIsDeletedOnlyWhereItAllowsIt() {
        String kept = env + "-kept";
        String allowed = env + "-allowed";
        SyncResult created = sync(pruning(50), namespace(kept, "") + "---\n" + namespace(allowed,
                "  annotations: {gitops.treum.ai/prune: allow}\n") + "---\n" + configMap(env + "-anchor", ""));
        assertThat(created.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);

        SyncResult pruned = sync(pruning(100), configMap(env + "-anchor", ""));

        assertThat(pruned.changes()).filteredOn(c -> c.key().name().equals(kept)).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(Action.SKIPPED))
                .satisfies(c -> assertThat(c.detail()).contains("gitops.treum.ai/prune=allow"));
        assertThat(client.namespaces().withName(kept).get().getMetadata().getDeletionTimestamp())
                .withFailMessage("a Namespace takes everything in it along; without the annotation it stays").isNull();
        assertThat(pruned.changes()).filteredOn(c -> c.key().name().equals(allowed)).extracting(ChangeEntry::action)
                .containsExactly(Action.DELETED);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Namespace gone = client.namespaces().withName(allowed).get();
            return gone == null || gone.getMetadata().getDeletionTimestamp() != null;
        });
        client.namespaces().withName(kept).delete();
    }

    @Test
    void aDeleteHitsOnlyTheObjectThatWasChecked() {
        assertThat(sync(policy(), configMap(env + "-replaced", "")).outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        String uid = client.configMaps().inNamespace(ns.name()).withName(env + "-replaced").get().getMetadata().getUid();
        // somebody deletes it and makes another of the same name, labels and all
        client.configMaps().inNamespace(ns.name()).withName(env + "-replaced").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.configMaps().inNamespace(ns.name())
                .withName(env + "-replaced").get() == null);
        client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-replaced").addToLabels(Ownership.ENVIRONMENT_LABEL, env).endMetadata()
                .addToData("BY", "somebody else").build()).create();

        ChangeEntry refused = cluster.deleteExactly(entry(env + "-replaced"), uid);

        assertThat(refused.action()).isEqualTo(Action.CONFLICT);
        assertThat(refused.detail()).contains("uid " + uid + " no longer matches");
        assertThat(data(env + "-replaced")).containsEntry("BY", "somebody else");
    }

    @Test
    void aDeleteOfAnObjectThatLostTheEnvironmentsLabelIsSkipped() {
        sync(policy(), configMap(env + "-relabelled", ""));
        client.configMaps().inNamespace(ns.name()).withName(env + "-relabelled")
                .edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels(Ownership.ENVIRONMENT_LABEL, "qa")
                        .endMetadata().build());

        ChangeEntry skipped = cluster.delete(entry(env + "-relabelled"), env);

        assertThat(skipped.action()).isEqualTo(Action.SKIPPED);
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-relabelled").get()).isNotNull();
    }

    @Test
    void objectsAppliedUnderTheOnceSharedManagerAreHandedToTheEnvironmentsOwn() {
        // as a daemon applied before each environment had its own field manager
        ConfigMap legacy = client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-legacy").addToLabels(Ownership.ENVIRONMENT_LABEL, env)
                .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).endMetadata()
                .addToData("PORT", "8000").addToData("RETIRED", "yes").build())
                .fieldManager(Ownership.FIELD_MANAGER).serverSideApply();

        SyncResult synced = sync(policy(), configMap(env + "-legacy", ""));

        assertThat(synced.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(synced.changes()).extracting(ChangeEntry::action).doesNotContain(Action.CONFLICT, Action.CREATED);
        ConfigMap live = client.configMaps().inNamespace(ns.name()).withName(env + "-legacy").get();
        assertThat(live.getMetadata().getUid()).as("nothing re-created").isEqualTo(legacy.getMetadata().getUid());
        assertThat(live.getMetadata().getManagedFields()).extracting(m -> m.getManager())
                .contains(Ownership.fieldManager(env)).doesNotContain(Ownership.FIELD_MANAGER);
        assertThat(live.getData()).withFailMessage("the field Git no longer declares went with the ownership: %s",
                live.getData()).containsOnlyKeys("PORT");
    }

    private String configMap(String name, String metadata) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                %sdata:
                  PORT: "8000"
                """.formatted(name, metadata);
    }

    private static String namespace(String name, String metadata) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                %s""".formatted(name, metadata);
    }

    private InventoryEntry entry(String configMap) {
        return new InventoryEntry(new ResourceKey("", "ConfigMap", ns.name(), configMap), "v1");
    }

    private java.util.Map<String, String> data(String configMap) {
        return client.configMaps().inNamespace(ns.name()).withName(configMap).get().getData();
    }
}
