package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.InventoryMarks;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.RevertRepoResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With revert commits on, a rollback also pushes a commit that restores the healthy revision's
 * folder, over smart HTTP with the daemon's token, so Git and the cluster agree again; the daemon
 * then syncs that commit like any other, and nothing is left to change.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RevertRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class RevertCommitTest {

    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void aRollbackPushesARevertAndTheNextSyncIsClean() throws Exception {
        String healthy;
        try (Repository served = RevertRepoResource.host().open("desired")) {
            healthy = served.resolve("refs/heads/main").getName();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> healthy.equals(marks().get("gitops.treum.ai/healthy-revision")));

        RevertRepoResource.write(RevertRepoResource.author().dir(), "2.0", false);
        String failing = RevertRepoResource.author().commitAndPush("reverting 2.0, never ready");
        await().atMost(Duration.ofSeconds(60)).until(() -> !marks().getOrDefault("gitops.treum.ai/revert-commit", "").isEmpty());
        assertThat(marks()).containsEntry("gitops.treum.ai/rolled-back-revision", failing);
        String revert = marks().get("gitops.treum.ai/revert-commit");

        try (Repository served = RevertRepoResource.host().open("desired"); RevWalk walk = new RevWalk(served)) {
            RevCommit commit = walk.parseCommit(served.resolve("refs/heads/main"));
            assertThat(commit.getName()).isEqualTo(revert);
            assertThat(commit.getParent(0).getName()).isEqualTo(failing);
            assertThat(commit.getFullMessage()).startsWith("Roll back reverting to " + healthy.substring(0, 12))
                    .contains("Revision " + failing + " was rolled back by treum-gitops: Deployment/rollout-revert/web: "
                            + "rollout exceeded its progress deadline");
            RevCommit good = walk.parseCommit(served.resolve(healthy));
            try (TreeWalk restored = TreeWalk.forPath(served, "environments/reverting", commit.getTree());
                    TreeWalk original = TreeWalk.forPath(served, "environments/reverting", good.getTree())) {
                assertThat(restored.getObjectId(0)).as("the folder's tree is the healthy revision's").isEqualTo(original.getObjectId(0));
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> revert.equals(marks().get("gitops.treum.ai/healthy-revision")));
        JsonPath status = given().get("/api/v1/environments/reverting").then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("revision")).isEqualTo(revert);
        assertThat(status.getString("syncStatus")).isEqualTo("Synced");
        assertThat(status.getString("rollback.revertCommit")).isEqualTo(revert);
        assertThat(status.getInt("driftCount")).isZero();
        Deployment web = client.apps().deployments().inNamespace(RevertRepoResource.NAMESPACE).withName("web").get();
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("registry.treum.ai/web:1.0");
        assertThat(web.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("kwok.treum.ai/never-ready");
    }

    private static Map<String, String> marks() {
        return InventoryMarks.of(client, "reverting");
    }
}
