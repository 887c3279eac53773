package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.git.GitCredentials;
import ai.treum.gitops.adapter.git.GitRepository;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.GitAuthor;
import ai.treum.gitops.peers.GitHttpServer;
import ai.treum.gitops.peers.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From commits on a Git host over smart HTTP to objects in the real kube-apiserver. */
@Tag("peer")
class GitToClusterTest extends ClusterSyncTest {

    @TempDir
    Path tmp;
    private GitHttpServer host;
    private GitAuthor author;
    private GitRepository repository;

    GitToClusterTest(KubernetesClient client, TestNamespace ns) {
        super(client, ns);
    }

    @BeforeEach
    void start() throws Exception {
        host = GitHttpServer.start(Files.createDirectories(tmp.resolve("served")));
        URI url = host.createRepository("desired");
        author = GitAuthor.clone(url, tmp.resolve("author"), null);
        repository = new GitRepository(url.toString(), "main", "environments", tmp.resolve("clone"),
                GitCredentials.none(tmp.resolve("ssh")), 10);
        for (String env : new String[] {"production", "staging"}) {
            author.write("environments/" + env + "/environment.yaml", environment(env))
                    .write("environments/" + env + "/kubernetes/app.yaml", configMap(env + "-app", "1"));
        }
        author.commitAndPush("production and staging");
    }

    @AfterEach
    void stop() throws Exception {
        repository.close();
        author.close();
        host.close();
    }

    @Test
    void aCommitTouchingOnlyStagingLeavesProductionUntouched() throws Exception {
        Revision first = repository.fetch();
        syncAll(first);
        String productionVersion = resourceVersion("production-app");

        author.write("environments/staging/kubernetes/app.yaml", configMap("staging-app", "2"));
        Revision second = new Revision(author.commitAndPush("staging only"));
        assertThat(repository.fetch()).isEqualTo(second);

        var changed = repository.changedEnvironments(first, second);
        assertThat(changed).containsExactly("staging");
        for (String env : changed) {
            assertThat(syncOne(env, second).outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        }
        assertThat(data("staging-app")).containsEntry("VERSION", "2");
        assertThat(resourceVersion("production-app")).isEqualTo(productionVersion);
        assertThat(syncOne("production", second).writes())
                .withFailMessage("production's objects are as its folder says; nothing to write").isEmpty();
    }

    @Test
    void aRevisionWithOneBrokenFileAppliesNothingAndNamesFileAndLine() throws Exception {
        syncAll(repository.fetch());
        author.write("environments/staging/kubernetes/app.yaml", configMap("staging-app", "3"))
                .write("environments/staging/kubernetes/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n");
        Revision broken = new Revision(author.commitAndPush("a good change and a broken file"));

        EnvironmentRevision read = read("staging", repository.fetch());

        assertThat(broken).isEqualTo(repository.fetch());
        assertThat(read.valid()).isFalse();
        assertThat(read.errors()).singleElement().asString()
                .startsWith("environments/staging/kubernetes/broken.yaml:4: yaml-syntax:");
        assertThat(data("staging-app")).withFailMessage("the good change in the same revision must not be applied either")
                .containsEntry("VERSION", "1");
    }

    private void syncAll(Revision revision) {
        for (String env : repository.environments(revision)) {
            assertThat(syncOne(env, revision).outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        }
    }

    private SyncResult syncOne(String env, Revision revision) {
        EnvironmentRevision read = read(env, revision);
        assertThat(read.errors()).isEmpty();
        return sync.sync(read.environment(), revision.sha(), Rendered.plain(read.kubernetes()));
    }

    private EnvironmentRevision read(String env, Revision revision) {
        return EnvironmentRevision.read(env, "environments/" + env, repository.files(revision, env), Boundary.of("treum-gitops"));
    }

    private String resourceVersion(String name) {
        return client.configMaps().inNamespace(ns.name()).withName(name).get().getMetadata().getResourceVersion();
    }

    private Map<String, String> data(String name) {
        return client.configMaps().inNamespace(ns.name()).withName(name).get().getData();
    }

    private String environment(String name) {
        return "apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\nmetadata:\n  name: " + name
                + "\nspec:\n  namespace: " + ns.name() + "\n  sync:\n    prune: true\n";
    }

    private static String configMap(String name, String version) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  VERSION: \"" + version + "\"\n";
    }
}
