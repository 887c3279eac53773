package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for promotion tests: environments {@code staging} and {@code production}, each a
 * rolling Deployment {@code web} as {@link StrategyRepoResource#write} has it (progress deadline three
 * seconds); production takes an image only once staging has run it healthy for three seconds. Git
 * is polled every second, health refreshed every second, production resynced every second.
 */
public class PromotionRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.promotion-repo";
    public static final String STAGING = "promotion-staging";
    public static final String PRODUCTION = "promotion-production";

    public PromotionRepoResource() {
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

    /** Both environments at one image tag; whether staging's pods can become ready (kwok). */
    public static void write(Path work, String version, boolean stagingReady) throws IOException {
        Path staging = FixtureRepo.environment(work, "staging", STAGING, "sync: {auto: true, interval: 10m}");
        StrategyRepoResource.write(staging, STAGING, "rolling", 1, version, stagingReady);
        Path production = FixtureRepo.environment(work, "production", PRODUCTION, "sync: {auto: true, interval: 1s}",
                "promotion: {from: staging, healthyFor: 3s, requireAnalysis: false}");
        StrategyRepoResource.write(production, PRODUCTION, "rolling", 1, version, true);
    }
}
