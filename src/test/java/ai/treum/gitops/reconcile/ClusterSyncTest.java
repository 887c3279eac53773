package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.SyncPolicy;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests of the sync flow against the real kube-apiserver share: a fresh environment per
 * test in the class's namespace, synced by {@link EnvironmentSync} reading and writing the cluster
 * directly, its inventory in that namespace; manifests loaded from YAML as the daemon loads them.
 */
@ExtendWith(KubernetesPeer.class)
abstract class ClusterSyncTest {

    protected final KubernetesClient client;
    protected final TestNamespace ns;
    protected KubernetesCluster cluster;
    protected ConfigMapInventoryStore inventory;
    protected EnvironmentSync sync;
    protected String env;

    ClusterSyncTest(KubernetesClient client, TestNamespace ns) {
        this.client = client;
        this.ns = ns;
    }

    @BeforeEach
    void freshEnvironment() {
        cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        inventory = new ConfigMapInventoryStore(client, ns.name());
        sync = new EnvironmentSync(cluster, cluster, inventory, SyncObserver.NONE, 4);
        env = "env-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Syncs these manifests (file {@code test.yaml}) as revision {@code rev}. */
    protected SyncResult sync(SyncPolicy policy, String yaml) {
        return sync(policy, load(yaml));
    }

    protected SyncResult sync(SyncPolicy policy, List<DesiredResource> desired) {
        return sync.sync(spec(policy), "rev", Rendered.plain(desired));
    }

    protected List<DesiredResource> load(String yaml) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("test.yaml", yaml)), ns.name());
        assertThat(loaded).isInstanceOf(LoadResult.Loaded.class);
        return ((LoadResult.Loaded) loaded).resources();
    }

    protected EnvironmentSpec spec(SyncPolicy policy) {
        return new EnvironmentSpec(env, ns.name(), policy);
    }

    protected static SyncPolicy policy() {
        return new SyncPolicy(true, false, false, Duration.ofMinutes(3), false, 50);
    }

    protected static SyncPolicy selfHeal() {
        return new SyncPolicy(true, false, true, Duration.ofMinutes(3), false, 50);
    }

    protected static SyncPolicy pruning(int maxPercent) {
        return new SyncPolicy(true, true, false, Duration.ofMinutes(3), false, maxPercent);
    }
}
