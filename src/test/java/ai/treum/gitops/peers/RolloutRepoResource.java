package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for rollback tests: environment {@code rolling} (namespace
 * {@code rollout-rolling}, auto-sync, no self-heal) with a ConfigMap, and a Deployment and its
 * Service as {@link StrategyRepoResource#write} has them (progress deadline three seconds). The repository's path is in {@link #REPO_PROPERTY}; Git is
 * polled every second and health refreshed every second.
 */
public class RolloutRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.rollout-repo";
    public static final String NAMESPACE = "rollout-rolling";

    public RolloutRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, "1.0", true);
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.health-interval", "1s");
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
}
