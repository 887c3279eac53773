package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for the status page: environment {@code storefront} (self-heal off, so drift
 * stays to be seen) with the drift tests' ConfigMap, Secret and Deployment, and their Warn policy
 * that the ConfigMap fails, so the page has a policy result.
 */
public class StatusPageRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String ENVIRONMENT = "storefront";
    public static final String NAMESPACE = "page-storefront";
    public static final String DECLARED_PASSWORD = DriftRepoResource.DECLARED_PASSWORD;

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-page", tree -> {
                DriftRepoResource.writeApp(FixtureRepo.environment(tree, ENVIRONMENT, NAMESPACE,
                        "sync: {auto: true, selfHeal: false, interval: 10m}"), NAMESPACE);
                PolicyRepoResource.writeTeamLabelPolicy(tree);
            });
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // a temporary folder; nothing runs
    }
}
