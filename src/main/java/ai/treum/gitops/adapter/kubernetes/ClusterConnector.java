package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.port.EksAccess;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * A client for each kind of {@link ClusterTarget}: the daemon's own for {@code inCluster}; one built
 * from a kubeconfig read out of a Secret of the daemon's cluster; one for an EKS cluster's endpoint
 * with presigned STS tokens. The kubeconfig and tokens stay in the client: no message carries them.
 */
public class ClusterConnector {

    private final KubernetesClient home;
    private final String daemonNamespace;
    private final Supplier<EksAccess> eks;

    /** @param eks only asked for an EKS target, so a daemon without AWS configured still serves the others */
    public ClusterConnector(KubernetesClient home, String daemonNamespace, Supplier<EksAccess> eks) {
        this.home = home;
        this.daemonNamespace = daemonNamespace;
        this.eks = eks;
    }

    /** The daemon's own client for {@code inCluster}, otherwise a new one its caller closes. */
    public KubernetesClient connect(ClusterTarget target) {
        if (target instanceof ClusterTarget.KubeconfigSecret secret) {
            return fromSecret(secret);
        }
        if (target instanceof ClusterTarget.Eks cluster) {
            return eks(cluster);
        }
        return home;
    }

    private KubernetesClient fromSecret(ClusterTarget.KubeconfigSecret ref) {
        String namespace = ref.namespace() == null ? daemonNamespace : ref.namespace();
        Secret secret = home.secrets().inNamespace(namespace).withName(ref.name()).get();
        if (secret == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + ref.name() + " not found");
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ref.key());
        if (encoded == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + ref.name() + " has no key " + ref.key());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // the parser's message may quote the file: name the Secret, never its content
            throw new IllegalStateException("Secret " + namespace + "/" + ref.name() + " key " + ref.key()
                    + " is not a kubeconfig");
        }
        return build(config);
    }

    private KubernetesClient eks(ClusterTarget.Eks cluster) {
        EksAccess access = eks.get();
        EksAccess.Endpoint endpoint = access.describe(cluster);
        Supplier<String> tokens = access.tokens(cluster);
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(endpoint.endpoint())
                .withCaCertData(endpoint.certificateAuthority())
                .withOauthTokenProvider(tokens::get)
                .build();
        return build(config);
    }

    /** Same request and watch timeouts as the daemon's own client. */
    private KubernetesClient build(Config config) {
        Config own = home.getConfiguration();
        config.setRequestTimeout(own.getRequestTimeout());
        config.setConnectionTimeout(own.getConnectionTimeout());
        config.setRequestRetryBackoffLimit(own.getRequestRetryBackoffLimit());
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
