package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for webhook tests: a repository the test commits to (its path in the system
 * property {@link #REPO_PROPERTY}), environments {@code hooked-a} and {@code hooked-b}, a poll
 * interval long enough that only webhooks make the daemon fetch, and a secret for each provider.
 */
public class WebhookRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.webhook-repo";
    public static final String SECRET = "whsec-4f1c0a";

    public WebhookRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, "hooked-a", "v1");
        write(tree, "hooked-b", "v1");
    }

    @Override
    protected Map<String, String> settings(Path work) throws IOException {
        Path secretFile = Files.writeString(work.getParent().resolve(work.getFileName() + "-gitlab-token"), SECRET);
        return Map.of("treum-gitops.git.poll-interval", "10m",
                "treum-gitops.webhooks.github.secret", SECRET,
                "treum-gitops.webhooks.gitlab.secret-file", secretFile.toString(),
                "treum-gitops.webhooks.generic.secret", SECRET);
    }

    /** Writes an environment whose ConfigMap {@code settings} has VERSION = version. */
    public static void write(Path work, String env, String version) throws IOException {
        String namespace = "webhook-" + env;
        Path dir = FixtureRepo.environment(work, env, namespace, "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(namespace, version));
    }
}
