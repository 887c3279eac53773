package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for promotion tests: environments {@code staging} and {@code production}, each a
 * rolling Deployment {@code web} as {@link StrategyRepoResource#write} has it (progress deadline three
 * seconds); production takes an image only once staging has run it healthy for three seconds. Git
 * is polled every second, health refreshed every second, production resynced every second.
 */
public class PromotionRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.promotion-repo";
    public static final String STAGING = "promotion-staging";
    public static final String PRODUCTION = "promotion-production";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-promotion", tree -> write(tree, "1.0", true));
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.health-interval", "1s");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both environments at one image tag; whether staging's pods can become ready (kwok). */
    public static void write(Path work, String version, boolean stagingReady) throws IOException {
        Path staging = FixtureRepo.environment(work, "staging", STAGING, "sync: {auto: true, interval: 10m}");
        StrategyRepoResource.write(staging, STAGING, "rolling", 1, version, stagingReady);
        Path production = FixtureRepo.environment(work, "production", PRODUCTION, "sync: {auto: true, interval: 1s}",
                "promotion: {from: staging, healthyFor: 3s, requireAnalysis: false}");
        StrategyRepoResource.write(production, PRODUCTION, "rolling", 1, version, true);
    }

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
