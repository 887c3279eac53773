package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The desired state for a {@code @QuarkusTest}: this project's own repository, as committed, so
 * the daemon syncs the bundled {@code environments/}. A bare copy holds the checkout's HEAD as
 * {@code main}, whichever branch (or detached HEAD) the checkout is on, without touching it.
 * One commit on top leaves out platform's metrics.k8s.io APIService: no metrics-server serves in
 * the test cluster, and an APIService nobody serves stalls the deletion of every namespace after
 * it (DaemonRbacTest checks by a server-side dry run that the daemon may write it).
 * moto's Secrets Manager gets the bundled secrets (scripts/seed-aws.py, as the run command seeds
 * them), for the External Secrets Operator to turn into the Secrets the workloads read.
 */
public class CheckoutRepoResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path bare = Files.createTempDirectory("treum-gitops-checkout").resolve("desired.git");
            try (Git project = Git.open(new File("."));
                    Git ignored = Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call()) {
                project.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
            }
            withoutMetricsApi(bare);
            SeedAws.seed(LocalPeers.get().motoUrl(), Path.of("environments"), "SecretsManagerSecret");
            return Map.of("treum-gitops.git.url", bare.toUri().toString(), "treum-gitops.git.branch", "main");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("tests run from the project's Git checkout", e);
        }
    }

    private static void withoutMetricsApi(Path bare) throws IOException, GitAPIException {
        Path work = Files.createTempDirectory("treum-gitops-checkout-work");
        try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call()) {
            FixtureRepo.commit(work, "test: no metrics.k8s.io APIService", tree -> Files.writeString(
                    tree.resolve("environments/platform/values/metrics-server.yaml"), "apiService:\n  create: false\n",
                    StandardOpenOption.APPEND));
            git.push().call();
        }
    }

    @Override
    public void stop() {
        // a temporary folder; nothing runs
    }
}
