package ai.treum.gitops.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Runs the daemon as its own service account, with exactly what {@code k8s/} grants it: the
 * namespace, the roles of {@code k8s/rbac.yaml}, the environments' namespaces and RoleBindings of
 * {@code k8s/environments.yaml}, metrics-server's of {@code k8s/platform.yaml} and the admission
 * policy, applied as the platform team would; then a kubeconfig holding only that account's token. The bundled environments' namespaces are
 * emptied first, so the daemon creates every object itself.
 */
public class DaemonAccountResource extends LocalPeersResource {

    public static final String NAMESPACE = "treum-gitops";
    public static final String ACCOUNT = "treum-gitops";
    public static final List<String> ENVIRONMENT_NAMESPACES = List.of("treum-staging", "treum-production",
            "treum-platform");
    private static final List<String> MANIFESTS = List.of("namespace.yaml", "rbac.yaml", "environments.yaml",
            "platform.yaml", "admission-policy.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    protected Path kubeconfig(LocalPeers peers) {
        try (KubernetesClient admin = KubernetesPeer.adminClient()) {
            forgetEarlierSyncs(admin);
            for (String manifest : MANIFESTS) {
                for (JsonNode object : YAML.readValues(YAML.getFactory().createParser(Path.of("k8s", manifest).toFile()),
                        JsonNode.class).readAll()) {
                    admin.resource(admin.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class))
                            .fieldManager("platform-team").forceConflicts().serverSideApply();
                }
            }
            String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(ACCOUNT).tokenRequest(
                    new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
                    .getStatus().getToken();
            return write(admin.getConfiguration(), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client that is the daemon's service account, as the daemon under test is. */
    public static KubernetesClient accountClient() {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(read(Path.of(System.getProperty("kubeconfig"))))).build();
    }

    /** Earlier test classes synced the bundled environments as the administrator: their objects and inventories go. */
    private static void forgetEarlierSyncs(KubernetesClient admin) {
        for (String namespace : ENVIRONMENT_NAMESPACES) {
            admin.namespaces().withName(namespace).delete();
            admin.configMaps().inNamespace(NAMESPACE).withName("treum-gitops-inventory-" + namespace.substring(6)).delete();
        }
        Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> ENVIRONMENT_NAMESPACES.stream()
                .allMatch(n -> admin.namespaces().withName(n).get() == null));
    }

    private static Path write(Config admin, String token) throws IOException {
        Path file = Files.createTempFile("treum-gitops-account", ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: local
                    cluster: {server: "%s", certificate-authority-data: "%s"}
                users:
                  - name: daemon
                    user: {token: "%s"}
                contexts:
                  - name: daemon
                    context: {cluster: local, user: daemon}
                current-context: daemon
                """.formatted(admin.getMasterUrl(), admin.getCaCertData(), token));
        return file;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
