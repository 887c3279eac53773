package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for rollback tests: environment {@code rolling} (namespace
 * {@code rollout-rolling}, auto-sync, no self-heal) with a ConfigMap, and a Deployment and its
 * Service as {@link StrategyRepoResource#write} has them (progress deadline three seconds). The repository's path is in {@link #REPO_PROPERTY}; Git is
 * polled every second and health refreshed every second.
 */
public class RolloutRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.rollout-repo";
    public static final String NAMESPACE = "rollout-rolling";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-rollouts", tree -> write(tree, "1.0", true));
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.health-interval", "1s");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment at one version: the image tag, and whether its pods can become ready (kwok). */
    public static void write(Path work, String version, boolean ready) throws IOException {
        Path dir = FixtureRepo.environment(work, "rolling", NAMESPACE, "sync: {auto: true, interval: 10m}");
        StrategyRepoResource.write(dir, NAMESPACE, "rolling", 2, version, ready);
        Files.writeString(dir.resolve("settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  VERSION: "%s"
                """.formatted(version));
    }

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
