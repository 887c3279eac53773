package ai.treum.gitops.peers;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Two environments on two clusters: {@code staging} in the daemon's own (the JVM's shared
 * kube-apiserver, A) and {@code production} in a second one this resource starts (B), named by
 * {@code spec.cluster.kubeconfigSecret}: the Secret {@code cluster-b} in the daemon's namespace of A
 * holds B's kubeconfig. Each environment holds the ConfigMap {@code settings} whose VERSION says
 * which commit was applied.
 */
public class MultiClusterRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String STAGING = "multi-staging";
    public static final String PRODUCTION = "multi-production";
    public static final String DAEMON_NAMESPACE = "treum-gitops";
    private static LocalPeers.Cluster clusterB;
    private static Path repository;

    @Override
    public Map<String, String> start() {
        clusterB = LocalPeers.anotherCluster();
        try (KubernetesClient a = KubernetesPeer.adminClient(); KubernetesClient b = clientOfB()) {
            for (KubernetesClient client : new KubernetesClient[] {a, b}) {
                if (client.namespaces().withName(DAEMON_NAMESPACE).get() == null) {
                    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(DAEMON_NAMESPACE)
                            .endMetadata().build()).create();
                }
            }
            a.secrets().inNamespace(DAEMON_NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("cluster-b")
                    .endMetadata().addToStringData("kubeconfig", Files.readString(clusterB.kubeconfig())).build())
                    .serverSideApply();
            repository = FixtureRepo.create("treum-gitops-multi", tree -> {
                staging(tree, "v1");
                production(tree, "v1");
            });
            return Map.of("treum-gitops.git.url", repository.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path repository() {
        return repository;
    }

    public static LocalPeers.Cluster clusterB() {
        return clusterB;
    }

    /** An administrator's client of cluster B. */
    public static KubernetesClient clientOfB() throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(clusterB.kubeconfig())))
                .build();
    }

    public static void staging(Path work, String version) throws IOException {
        Files.writeString(FixtureRepo.environment(work, "staging", STAGING, "sync: {auto: true, interval: 10m}")
                .resolve("app.yaml"), FixtureRepo.namespaceWithSettings(STAGING, version));
    }

    public static void production(Path work, String version) throws IOException {
        Files.writeString(FixtureRepo.environment(work, "production", PRODUCTION, "sync: {auto: true, interval: 10m}",
                "cluster:", "  kubeconfigSecret: {name: cluster-b, key: kubeconfig}")
                .resolve("app.yaml"), FixtureRepo.namespaceWithSettings(PRODUCTION, version));
    }

    @Override
    public void stop() {
        clusterB.close();
    }
}
