package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A repository with one environment, {@code traced}, synced on signed GitHub pushes. */
public class TracedRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.traced-repo";
    public static final String ENVIRONMENT = "traced";
    public static final String NAMESPACE = "trace-test";

    public TracedRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, "v1");
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "10m", "treum-gitops.webhooks.github.secret",
                WebhookRepoResource.SECRET);
    }

    /** The environment with its ConfigMap {@code settings} at VERSION = version. */
    public static void write(Path work, String version) throws IOException {
        Path dir = FixtureRepo.environment(work, ENVIRONMENT, NAMESPACE, "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(NAMESPACE, version));
    }
}
