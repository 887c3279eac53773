package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's real peers: the kube-apiserver through
 * the Quarkus Kubernetes client settings, moto_server as the AWS endpoint, and the repository's
 * own {@code environments/}. The peers outlive the application; the JVM's exit stops them.
 */
public class LocalPeersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        LocalPeers peers = LocalPeers.get();
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", peers.kubernetesUrl().toString(),
                "quarkus.kubernetes-client.ca-cert-file", peers.pki("ca.crt").toString(),
                "quarkus.kubernetes-client.client-cert-file", peers.pki("client.crt").toString(),
                "quarkus.kubernetes-client.client-key-file", peers.pki("client.key").toString(),
                "treum-gitops.aws.endpoint-override", peers.motoUrl().toString(),
                "treum-gitops.aws.region", "eu-west-1",
                "treum-gitops.environments-dir", "environments");
    }

    @Override
    public void stop() {
        // shared with the other test classes of this JVM; LocalPeers stops them at exit
    }
}
