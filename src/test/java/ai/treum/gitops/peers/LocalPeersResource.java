package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's real peers: the kube-apiserver through
 * the Quarkus Kubernetes client settings, and moto_server as the AWS endpoint. The desired state
 * comes from a second resource ({@link CheckoutRepoResource} or a test's own). The peers outlive the application; the JVM's exit stops them.
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
                "treum-gitops.data-dir", dataDir.toString());
    }

    @Override
    public void stop() {
        // shared with the other test classes of this JVM; LocalPeers stops them at exit
    }
}
