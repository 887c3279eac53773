package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import jakarta.enterprise.context.ApplicationScoped;

/** Reachability of the target cluster's API server, through the daemon's own client. */
@ApplicationScoped
public class KubernetesConnection implements ConnectionCheck {

    private final KubernetesClient client;

    KubernetesConnection(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String peer() {
        return "kubernetes";
    }

    @Override
    public ConnectionStatus check() {
        try {
            VersionInfo version = client.getKubernetesVersion();
            return ConnectionStatus.up(target() + " " + version.getGitVersion());
        } catch (KubernetesClientException e) {
            return ConnectionStatus.down(target() + ": " + rootMessage(e));
        }
    }

    /** The API server and how the daemon authenticates to it, never the credential itself. */
    public String target() {
        Config config = client.getConfiguration();
        return Redactions.url(config.getMasterUrl()) + " (" + authentication(config) + ")";
    }

    private static String authentication(Config config) {
        if (config.getClientCertData() != null || config.getClientCertFile() != null) {
            return "client certificate";
        }
        if (config.getAutoOAuthToken() != null || config.getOauthToken() != null
                || config.getOauthTokenProvider() != null) {
            return "bearer token";
        }
        if (config.getUsername() != null) {
            return "basic auth";
        }
        return "anonymous";
    }

    /** The exception's message and, when another lies beneath it, the root cause: "Connection refused" is the useful part. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (" + root + ")";
    }
}
