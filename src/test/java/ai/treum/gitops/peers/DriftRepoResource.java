package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The desired state for drift tests: environment {@code healing} (self-heal on) and
 * {@code watching} (self-heal off), each a namespace of its own with a ConfigMap and a Deployment.
 */
public class DriftRepoResource extends FixtureRepoResource {

    public static final String HEALING = "healing";
    public static final String WATCHING = "watching";
    /** The Secret's value in Git, which must never show in status, events or pages. */
    public static final String DECLARED_PASSWORD = "git-declared-value-1f2e";

    public DriftRepoResource() {
        super(null);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, HEALING, true);
        write(tree, WATCHING, false);
    }

    public static String namespace(String environment) {
        return "drift-" + environment;
    }

    private static void write(Path work, String env, boolean selfHeal) throws IOException {
        writeApp(FixtureRepo.environment(work, env, namespace(env),
                "sync: {auto: true, selfHeal: " + selfHeal + ", interval: 10m}"), namespace(env));
    }

    /**
     * Writes {@code app.yaml} into an environment's kubernetes/ folder: the namespace, ConfigMap
     * {@code settings} (MODE blue), Secret {@code credentials} (password {@link #DECLARED_PASSWORD})
     * and a Deployment {@code web} of two replicas.
     */
    public static void writeApp(Path dir, String namespace) throws IOException {
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  MODE: blue
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: credentials
                stringData:
                  password: %s
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: registry.treum.ai/treum/web:1.0.0
                """.formatted(namespace, DECLARED_PASSWORD));
    }
}
