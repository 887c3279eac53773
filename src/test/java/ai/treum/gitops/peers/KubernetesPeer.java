package ai.treum.gitops.peers;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension: the JVM's real kube-apiserver, an administrator's {@link KubernetesClient} and
 * a fresh {@link TestNamespace} per test class. Test methods declare either as a parameter.
 */
public final class KubernetesPeer implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubernetesPeer.class);

    /** A client for the shared kube-apiserver, authenticated by the administrator's certificate. */
    public static KubernetesClient adminClient() {
        try {
            String kubeconfig = Files.readString(LocalPeers.get().kubeconfig());
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        KubernetesClient client = adminClient();
        String name = namespaceFor(context.getRequiredTestClass());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        context.getStore(STORE).put(KubernetesClient.class, client);
        context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KubernetesClient client = context.getStore(STORE).get(KubernetesClient.class, KubernetesClient.class);
        TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
        // without a namespace controller the namespace stays Terminating; its objects go with etcd
        client.namespaces().withName(namespace.name()).delete();
        client.close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class || type == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getStore(STORE).get(type, type);
    }

    /** A DNS-1123 label from the class name, unique per run. */
    static String namespaceFor(Class<?> testClass) {
        String base = testClass.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        return (base.length() > 50 ? base.substring(0, 50) : base) + "-" + suffix;
    }
}
