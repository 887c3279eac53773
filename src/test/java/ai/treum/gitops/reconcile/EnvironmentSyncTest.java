package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.core.diff.OwnedFieldsDiff;
import ai.treum.gitops.core.diff.ResourceDiff;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.plan.Waves;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.TestNamespace;
import ai.treum.gitops.peers.Writes;
import ai.treum.gitops.port.InventoryStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sync flow against the real kube-apiserver: apply, no-op, drift, prune guards, crash recovery. */
@Tag("peer")
class EnvironmentSyncTest extends ClusterSyncTest {

    private static final String APP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: NAME-settings
            data:
              PORT: "8000"
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: NAME
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: NAME
            spec:
              replicas: 3
              selector:
                matchLabels: {app: NAME}
              template:
                metadata:
                  labels: {app: NAME}
                spec:
                  serviceAccountName: NAME
                  containers:
                    - name: api
                      image: registry.treum.ai/api:1.4.2
                      ports:
                        - containerPort: 8000
                      resources:
                        requests: {cpu: 250m, memory: 512Mi}
                        limits: {cpu: 500m, memory: 1Gi}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: NAME
            spec:
              selector: {app: NAME}
              ports:
                - port: 8000
                  targetPort: 8000
            """;

    EnvironmentSyncTest(KubernetesClient client, TestNamespace ns) {
        super(client, ns);
    }

    @Test
    void firstSyncCreatesEverythingAndTheNextSyncOfTheSameRevisionWritesNothing() {
        SyncResult first = sync(policy(), app());
        assertThat(first.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(first.changes()).extracting(ChangeEntry::action).containsOnly(Action.CREATED).hasSize(4);
        Map<String, String> versions = resourceVersions();

        SyncResult second = sync(policy(), app());

        assertThat(second.writes()).withFailMessage("a sync of an unchanged revision must write nothing, wrote %s",
                second.writes()).isEmpty();
        assertThat(second.drift()).isEmpty();
        assertThat(resourceVersions()).withFailMessage("no object, nor the inventory, may change").isEqualTo(versions);
    }

    @Test
    void valuesTheApiServerDefaultsAreNeverDrift() {
        List<DesiredResource> desired = load(app());
        sync(policy(), desired);
        Deployment live = client.apps().deployments().inNamespace(ns.name()).withName(env).get();
        assertThat(live.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(live.getSpec().getTemplate().getSpec().getContainers().get(0).getTerminationMessagePath()).isNotBlank();
        assertThat(live.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isNotBlank();
        assertThat(client.services().inNamespace(ns.name()).withName(env).get().getSpec().getClusterIP()).isNotBlank();

        OwnedFieldsDiff differ = new OwnedFieldsDiff(Ownership.fieldManager(env));
        for (DesiredResource resource : desired) {
            DesiredResource stamped = Ownership.stamp(resource, env);
            ObjectNode liveJson = cluster.get(stamped.apiVersion(), stamped.key()).orElseThrow();
            assertThat(differ.diff(stamped.key(), stamped.body(), liveJson))
                    .withFailMessage("defaults set by the API server must not show as drift on %s", stamped.key())
                    .isInstanceOf(ResourceDiff.InSync.class);
        }
    }

    @Test
    void aChangedOwnedFieldIsDriftAndSelfHealTakesItBack() {
        sync(policy(), app());
        client.apps().deployments().inNamespace(ns.name()).withName(env).scale(7);

        SyncResult withoutSelfHeal = sync(policy(), app());
        assertThat(withoutSelfHeal.driftLines()).anyMatch(line -> line.contains("spec.replicas: 7 -> 3"));
        assertThat(withoutSelfHeal.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(withoutSelfHeal.changes()).filteredOn(c -> c.action() == Action.CONFLICT).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains(".spec.replicas"));

        SyncResult healed = sync(selfHeal(), app());
        assertThat(healed.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName(env).get().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aFieldTheDaemonDoesNotOwnIsNotDrift() {
        sync(policy(), app());
        client.configMaps().inNamespace(ns.name()).withName(env + "-settings")
                .edit(cm -> new ConfigMapBuilder(cm).editMetadata().addToAnnotations("team", "payments").endMetadata()
                        .addToData("EXTRA", "added by hand").build());

        SyncResult result = sync(policy(), app());

        assertThat(result.writes()).withFailMessage("fields only another manager owns are not ours to compare").isEmpty();
    }

    @Test
    void aManifestRemovedFromGitIsPrunedAndLeavesTheInventory() {
        sync(pruning(50), app());
        String withoutConfigMap = app().substring(app().indexOf("---") + 4);

        SyncResult result = sync(pruning(50), withoutConfigMap);

        assertThat(result.changes()).filteredOn(c -> c.action() == Action.DELETED).extracting(ChangeEntry::key)
                .containsExactly(new ResourceKey("", "ConfigMap", ns.name(), env + "-settings"));
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get()).isNull();
        assertThat(inventory.load(env)).extracting(InventoryEntry::key).hasSize(3)
                .doesNotContain(new ResourceKey("", "ConfigMap", ns.name(), env + "-settings"));
    }

    @Test
    void pruneNeverTouchesAnObjectOutsideTheInventory() {
        sync(pruning(100), app());
        client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(env + "-by-hand").addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER)
                .addToLabels(Ownership.ENVIRONMENT_LABEL, env).endMetadata().build()).create();

        sync(pruning(100), app().substring(app().indexOf("---") + 4));

        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-by-hand").get())
                .withFailMessage("an object the daemon never applied must survive prune, even with its labels")
                .isNotNull();
    }

    @Test
    void pruneNeverEmptiesAnEnvironmentUnlessAllowed() {
        sync(pruning(100), app());

        SyncResult result = sync(pruning(100), "");

        assertThat(result.pruneBlocked()).contains("Git declares no objects");
        assertThat(result.changes()).noneMatch(c -> c.action() == Action.DELETED);
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName(env).get()).isNotNull();
        assertThat(inventory.load(env)).hasSize(4);
    }

    @Test
    void pruneStopsWhollyAboveTheConfiguredShare() {
        sync(pruning(25), app());
        String onlyService = app().substring(app().lastIndexOf("---") + 4);

        SyncResult result = sync(pruning(25), onlyService);

        assertThat(result.pruneBlocked()).contains("would prune 3 of 4 objects, over the limit of 25%");
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get()).isNotNull();
        assertThat(inventory.load(env)).withFailMessage("blocked objects stay in the inventory for a later sync").hasSize(4);
    }

    @Test
    void pruneSkipsAnObjectAnnotatedToStay() {
        sync(pruning(50), app());
        client.configMaps().inNamespace(ns.name()).withName(env + "-settings").edit(cm -> new ConfigMapBuilder(cm)
                .editMetadata().addToAnnotations(Ownership.PRUNE_ANNOTATION, "disabled").endMetadata().build());

        SyncResult result = sync(pruning(50), app().substring(app().indexOf("---") + 4));

        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get()).isNotNull();
        assertThat(result.changes()).filteredOn(c -> c.action() == Action.SKIPPED).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains(Ownership.PRUNE_ANNOTATION));
    }

    @Test
    void aKindTheClusterDoesNotServeRejectsTheRevisionUnlessOptional() {
        String vpa = """
                ---
                apiVersion: autoscaling.k8s.io/v1
                kind: VerticalPodAutoscaler
                metadata:
                  name: vpa
                spec:
                  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                """;

        SyncResult rejected = sync(policy(), app() + vpa);
        assertThat(rejected.outcome()).isEqualTo(SyncResult.Outcome.REJECTED);
        assertThat(rejected.errors()).singleElement().asString().contains("unknown-kind").contains("VerticalPodAutoscaler")
                .contains("test.yaml:");
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get())
                .withFailMessage("a rejected revision applies nothing at all").isNull();

        String optional = vpa.replace("  name: vpa\n", "  name: vpa\n  annotations: {gitops.treum.ai/optional: \"true\"}\n");
        SyncResult skipped = sync(policy(), app() + optional);
        assertThat(skipped.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(skipped.changes()).filteredOn(c -> c.action() == Action.SKIPPED).hasSize(1);
    }

    @Test
    void aMisspeltFieldFailsItsObjectAtOnceNamingFileLineAndFieldAndStopsTheLaterWaves() {
        SyncResult result = sync(policy(), app().replace("  replicas: 3", "  replcas: 3"));

        assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(result.changes()).filteredOn(c -> c.key().kind().equals("Deployment")).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(Action.INVALID));
        assertThat(result.errors()).singleElement().asString().startsWith("test.yaml:13: ")
                .contains("Deployment/" + ns.name() + "/" + env).contains(".spec.replcas: field not declared in schema");
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName(env).get()).isNull();
        assertThat(client.services().inNamespace(ns.name()).withName(env).get())
                .withFailMessage("the wave after a failed one is not applied").isNull();
    }

    @Test
    void aCustomResourceWaitsForItsCrdFromTheSameRevision() {
        String group = env + ".treum.ai";
        String crdAndQuota = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: quotas.GROUP
                spec:
                  group: GROUP
                  scope: Namespaced
                  names: {kind: Quota, plural: quotas, singular: quota, listKind: QuotaList}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                ---
                apiVersion: GROUP/v1
                kind: Quota
                metadata:
                  name: trading
                spec:
                  maxOrdersPerSecond: 50
                """.replace("GROUP", group);

        SyncResult first = sync(policy(), crdAndQuota);
        assertThat(first.errors()).isEmpty();
        assertThat(first.changes()).extracting(ChangeEntry::key).extracting(ResourceKey::kind)
                .containsExactly("CustomResourceDefinition", "Quota");
        assertThat(client.genericKubernetesResources(group + "/v1", "Quota").inNamespace(ns.name()).withName("trading")
                .get().get("spec").toString()).contains("maxOrdersPerSecond=50");

        assertThat(sync(policy(), crdAndQuota).writes()).isEmpty();
    }

    @Test
    void anImmutableChangeIsReportedAndRecreatedOnlyWhereTheObjectOptsIn() {
        sync(policy(), app());
        String newSelector = app().replace("matchLabels: {app: " + env + "}",
                "matchLabels: {app: " + env + ", tier: web}").replace("labels: {app: " + env + "}",
                "labels: {app: " + env + ", tier: web}");

        SyncResult refused = sync(policy(), newSelector);
        assertThat(refused.changes()).filteredOn(c -> c.action() == Action.IMMUTABLE).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("immutable"));

        String optedIn = newSelector.replace("kind: Deployment\nmetadata:\n  name: " + env + "\n",
                "kind: Deployment\nmetadata:\n  name: " + env + "\n  annotations: {gitops.treum.ai/recreate: \"true\"}\n");
        SyncResult recreated = sync(policy(), optedIn);
        assertThat(recreated.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName(env).get().getSpec().getSelector()
                .getMatchLabels()).containsEntry("tier", "web");
    }

    @Test
    void killedBetweenWavesTheNextSyncConvergesWithNothingMissingOrDuplicated() {
        EnvironmentSync crashing = new EnvironmentSync(cluster, cluster, inventory, (environment, wave, changes) -> {
            if (wave == Waves.FOUNDATIONS) {
                throw new IllegalStateException("daemon killed after the foundations wave");
            }
        }, 4);
        assertThatThrownBy(() -> crashing.sync(spec(policy()), "rev-1", Rendered.plain(load(app()))))
                .hasMessageContaining("killed");
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get()).isNotNull();
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName(env).get()).isNull();
        String configMapVersion = client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get()
                .getMetadata().getResourceVersion();
        assertThat(inventory.load(env)).withFailMessage("the inventory must name every object before any is created")
                .hasSize(4);

        SyncResult restarted = sync(policy(), app());

        assertThat(restarted.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        assertThat(restarted.changes().stream().collect(Collectors.toMap(c -> c.key().kind(), ChangeEntry::action)))
                .containsEntry("ConfigMap", Action.UNCHANGED).containsEntry("ServiceAccount", Action.UNCHANGED)
                .containsEntry("Deployment", Action.CREATED).containsEntry("Service", Action.CREATED);
        assertThat(client.configMaps().inNamespace(ns.name()).withName(env + "-settings").get().getMetadata()
                .getResourceVersion()).isEqualTo(configMapVersion);
    }

    @Test
    void anInventoryAnotherWriterChangedIsNeverOverwritten() {
        InventoryEntry a = new InventoryEntry(new ResourceKey("", "ConfigMap", ns.name(), env + "-a"), "v1");
        InventoryEntry b = new InventoryEntry(new ResourceKey("", "ConfigMap", ns.name(), env + "-b"), "v1");
        InventoryEntry c = new InventoryEntry(new ResourceKey("", "ConfigMap", ns.name(), env + "-c"), "v1");
        InventoryStore.Versioned first = inventory.save(env, inventory.loadVersioned(env), new TreeSet<>(List.of(a)));
        // a replica that took the environment over saves its own entries meanwhile
        inventory.save(env, first, new TreeSet<>(List.of(a, b)));

        assertThatThrownBy(() -> inventory.save(env, first, new TreeSet<>(List.of(a, c))))
                .isInstanceOf(InventoryStore.Conflict.class).hasMessageContaining("changed since it was read");
        assertThat(inventory.load(env)).containsExactly(a, b);

        // only the marks changed since the read: the entries are as expected, so the save goes through
        InventoryStore.Versioned read = inventory.loadVersioned(env);
        inventory.mark(env, Map.of("healthy-revision", "0".repeat(40)));
        inventory.save(env, read, new TreeSet<>(List.of(a, b, c)));
        assertThat(inventory.load(env)).containsExactly(a, b, c);
    }

    @Test
    void marksWrittenAtOnceFromTwoThreadsAreAllKept() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String n = String.valueOf(i);
                writes.add(writers.submit(() -> inventory.mark(env, Map.of("revert-commit-" + n, n))));
                writes.add(writers.submit(() -> inventory.mark(env, Map.of("synced-revisions-" + n, n))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }
        assertThat(inventory.marks(env)).as("no write may put back another's older marks").hasSize(40);
    }

    @Test
    void aReplicaThatLostTheShardWritesNoObjectInventoryOrMark() {
        Replica replica = replicaThatSynced();
        ConfigMapInventoryStore store = replica.store();
        Map<String, String> before = resourceVersions();
        InventoryStore.Versioned inventoryBefore = store.loadVersioned(env);

        replica.held().set(false);
        SyncResult lost = replica.sync().sync(spec(selfHeal()), "rev-2", Rendered.plain(load(app().replace("PORT: \"8000\"",
                "PORT: \"9000\"").replace("replicas: 3", "replicas: 4"))));

        assertThat(lost.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
        assertThat(lost.changes()).filteredOn(c -> c.action() != Action.UNCHANGED).isNotEmpty()
                .allSatisfy(c -> assertThat(c).isEqualTo(ChangeEntry.notHeld(c.key())));
        assertThat(resourceVersions()).isEqualTo(before);
        assertThatThrownBy(() -> store.mark(env, Map.of("healthy-revision", "0".repeat(40))))
                .isInstanceOf(InventoryStore.Conflict.class).hasMessageContaining("no longer holds the environment's shard");
        assertThatThrownBy(() -> store.save(env, inventoryBefore, new TreeSet<>()))
                .isInstanceOf(InventoryStore.Conflict.class).hasMessageContaining("no longer holds the environment's shard");
        assertThat(store.loadVersioned(env)).isEqualTo(inventoryBefore);
    }

    @Test
    void aReplicaThatLostTheShardStartsNoPreSyncHookAndLeavesTheWorkloadsAlone() {
        Replica replica = replicaThatSynced();
        Map<String, String> before = resourceVersions();

        replica.held().set(false);
        List<DesiredResource> migrate = load("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations: {gitops.treum.ai/hook: pre-sync, gitops.treum.ai/hook-revision: rev-2}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: registry.treum.ai/api:1.4.3
                """);
        Rendered withHook = new Rendered(load(app().replace("replicas: 3", "replicas: 4")), List.of(), Set.of(), migrate,
                List.of());

        // the hook's Job goes into the inventory before it is started, and the inventory refuses first
        assertThatThrownBy(() -> replica.sync().sync(spec(policy()), "rev-2", withHook))
                .isInstanceOf(InventoryStore.Conflict.class).hasMessageContaining("no longer holds the environment's shard");
        assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get()).isNull();
        assertThat(resourceVersions()).isEqualTo(before);
    }

    /** A replica whose cluster and inventory write for the environment only while {@code held}. */
    private record Replica(AtomicBoolean held, ConfigMapInventoryStore store, EnvironmentSync sync) {
    }

    /** A replica that holds the environment and has synced {@link #app()} at rev-1. */
    private Replica replicaThatSynced() {
        AtomicBoolean held = new AtomicBoolean(true);
        Predicate<String> mayWrite = e -> e.equals(env) && held.get();
        KubernetesCluster guarded = new KubernetesCluster(client, Duration.ofSeconds(30), mayWrite);
        ConfigMapInventoryStore store = new ConfigMapInventoryStore(client, ns.name(), mayWrite);
        EnvironmentSync sync = new EnvironmentSync(guarded, guarded, store, SyncObserver.NONE, 4);
        assertThat(sync.sync(spec(policy()), "rev-1", Rendered.plain(load(app()))).outcome())
                .isEqualTo(SyncResult.Outcome.SYNCED);
        return new Replica(held, store, sync);
    }

    private String app() {
        return APP.replace("NAME", env);
    }

    private Map<String, String> resourceVersions() {
        List<HasMetadata> objects = new java.util.ArrayList<>();
        objects.addAll(client.configMaps().inNamespace(ns.name()).list().getItems());
        objects.addAll(client.serviceAccounts().inNamespace(ns.name()).list().getItems());
        objects.addAll(client.apps().deployments().inNamespace(ns.name()).list().getItems());
        objects.addAll(client.services().inNamespace(ns.name()).list().getItems());
        return objects.stream().filter(o -> o.getMetadata().getName().startsWith(env) || o.getMetadata().getName()
                .endsWith(env)).collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(),
                        EnvironmentSyncTest::version));
    }

    /** The resourceVersion, but for a Deployment, whose status its controller writes, what only we change. */
    private static String version(HasMetadata object) {
        return object.getKind().equals("Deployment") ? Writes.byTheDaemon(object) : object.getMetadata().getResourceVersion();
    }
}
