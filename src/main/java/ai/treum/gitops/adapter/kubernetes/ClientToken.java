package ai.treum.gitops.adapter.kubernetes;

import io.fabric8.kubernetes.client.Config;
import java.util.Optional;

/**
 * The bearer token the Kubernetes client would send, as fabric8 finds it: the current context of
 * the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}), else the pod's service account.
 * A kubeconfig that authenticates by client certificate has none.
 */
public final class ClientToken {

    private ClientToken() {
    }

    public static Optional<String> find() {
        Config config = Config.autoConfigure(null);
        String token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        return Optional.ofNullable(token).filter(t -> !t.isBlank());
    }
}
