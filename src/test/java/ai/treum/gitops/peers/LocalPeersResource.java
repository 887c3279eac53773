package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's real peers: the kube-apiserver through
 * its kubeconfig, and moto_server as the AWS endpoint. The desired state
 * comes from a second resource ({@link CheckoutRepoResource} or a test's own). The peers outlive the application; the JVM's exit stops them.
 */
public class LocalPeersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalPeers peers = LocalPeers.get();
        // what KUBECONFIG does for the run command: fabric8 reads it when the client is built
        System.setProperty("kubeconfig", kubeconfig(peers).toString());
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("treum-gitops-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "treum-gitops.aws.endpoint-override", peers.motoUrl().toString(),
                "treum-gitops.aws.region", "eu-west-1",
                "treum-gitops.data-dir", dataDir.toString());
    }

    /** The daemon's kubeconfig: the administrator's. */
    protected Path kubeconfig(LocalPeers peers) {
        return peers.kubeconfig();
    }

    @Override
    public void stop() {
        // shared with the other test classes of this JVM; LocalPeers stops them at exit
    }
}
