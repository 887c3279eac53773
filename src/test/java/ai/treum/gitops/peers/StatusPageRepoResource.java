package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The desired state for the status page: environment {@code storefront} (self-heal off, so drift
 * stays to be seen) with the drift tests' ConfigMap, Secret and Deployment, and their Warn policy
 * that the ConfigMap fails, so the page has a policy result.
 */
public class StatusPageRepoResource extends FixtureRepoResource {

    public static final String ENVIRONMENT = "storefront";
    public static final String NAMESPACE = "page-storefront";
    public static final String DECLARED_PASSWORD = DriftRepoResource.DECLARED_PASSWORD;

    public StatusPageRepoResource() {
        super(null);
    }

    @Override
    protected void files(Path tree) throws IOException {
        DriftRepoResource.writeApp(FixtureRepo.environment(tree, ENVIRONMENT, NAMESPACE,
                "sync: {auto: true, selfHeal: false, interval: 10m}"), NAMESPACE);
        PolicyRepoResource.writeTeamLabelPolicy(tree);
    }
}
