package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Points a {@code @QuarkusTest} application at the JVM's real peers: the kube-apiserver through
 * the Quarkus Kubernetes client settings, moto_server as the AWS endpoint, and this project's own
 * Git repository as the desired state, so the daemon syncs the bundled {@code environments/}. The peers outlive the application; the JVM's exit stops them.
 */
public class LocalPeersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalPeers peers = LocalPeers.get();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("treum-gitops-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", peers.kubernetesUrl().toString(),
                "quarkus.kubernetes-client.ca-cert-file", peers.pki("ca.crt").toString(),
                "quarkus.kubernetes-client.client-cert-file", peers.pki("client.crt").toString(),
                "quarkus.kubernetes-client.client-key-file", peers.pki("client.key").toString(),
                "treum-gitops.aws.endpoint-override", peers.motoUrl().toString(),
                "treum-gitops.aws.region", "eu-west-1",
                "treum-gitops.git.url", committedHead(dataDir.resolve("desired.git")),
                "treum-gitops.git.branch", "main",
                "treum-gitops.data-dir", dataDir.toString());
    }

    /**
     * A bare repository holding this checkout's HEAD as {@code main}: what is committed here,
     * whichever branch (or detached HEAD) the checkout is on, without touching the checkout.
     */
    private static String committedHead(Path bare) {
        try (Git project = Git.open(new File("."));
                Git ignored = Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call()) {
            project.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
            return bare.toUri().toString();
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("tests run from the project's Git checkout", e);
        }
    }

    @Override
    public void stop() {
        // shared with the other test classes of this JVM; LocalPeers stops them at exit
    }
}
