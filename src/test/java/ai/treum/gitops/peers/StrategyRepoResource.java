package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for rollout strategy tests: environment {@code blue-green} (namespace
 * {@code rollout-bg}, prune off, a three-second scale-down delay) and environment {@code canary}
 * (namespace {@code rollout-canary}, prune on, the default steps), each a Deployment {@code web}
 * behind a Service {@code web}, with a progress deadline of three seconds. Git is polled and
 * health refreshed every second.
 */
public class StrategyRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.strategy-repo";

    public StrategyRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        blueGreen(tree, "1.0", true);
        canary(tree, "1.0", true);
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.health-interval", "1s");
    }

    public static void blueGreen(Path work, String version, boolean ready) throws IOException {
        write(FixtureRepo.environment(work, "blue-green", "rollout-bg", "sync: {auto: true, prune: false, interval: 10m}",
                "rollout: {blueGreen: {scaleDownDelay: 3s}}"), "rollout-bg", "blue-green", 2, version, ready);
    }

    public static void canary(Path work, String version, boolean ready) throws IOException {
        write(FixtureRepo.environment(work, "canary", "rollout-canary", "sync: {auto: true, prune: true, interval: 10m}"),
                "rollout-canary", "canary", 10, version, ready);
    }

    /** A Deployment at one version (image tag; whether kwok makes its pods ready) and its Service. */
    public static void write(Path dir, String namespace, String strategy, int replicas, String version, boolean ready)
            throws IOException {
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations: {gitops.treum.ai/strategy: %s}
                spec:
                  replicas: %d
                  progressDeadlineSeconds: 3
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web%s}
                    spec:
                      containers:
                        - name: web
                          image: registry.treum.ai/web:%s
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(namespace, strategy, replicas, ready ? "" : ", kwok.treum.ai/never-ready: \"true\"", version));
    }
}
