package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/** A repository with one environment, {@code traced}, synced on signed GitHub pushes. */
public class TracedRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.traced-repo";
    public static final String ENVIRONMENT = "traced";
    public static final String NAMESPACE = "trace-test";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-traced", tree -> write(tree, "v1"));
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "10m", "treum-gitops.webhooks.github.secret",
                    WebhookRepoResource.SECRET);
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment with its ConfigMap {@code settings} at VERSION = version. */
    public static void write(Path work, String version) throws IOException {
        Path dir = FixtureRepo.environment(work, ENVIRONMENT, NAMESPACE, "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(NAMESPACE, version));
    }

    @Override
    public void stop() {
        // a temporary folder; nothing runs
    }
}
