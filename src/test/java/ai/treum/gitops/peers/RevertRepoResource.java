package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for revert-commit tests, on a Git host over smart HTTP that takes pushes with
 * a token: environment {@code reverting} (namespace {@code rollout-revert}) with revert commits
 * on and a Deployment whose progress deadline is three seconds. The test commits and pushes
 * through {@link #author()}; the daemon fetches every second with the token.
 */
public class RevertRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "rollout-revert";
    private static final String TOKEN = "revert-token-61d2";
    private static GitHttpServer host;
    private static GitAuthor author;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("treum-gitops-revert");
            host = GitHttpServer.start(Files.createDirectories(root.resolve("served")), TOKEN);
            author = GitAuthor.clone(host.createRepository("desired"), root.resolve("author"), TOKEN);
            write(author.dir(), "1.0", true);
            author.commitAndPush("reverting 1.0");
            Path token = Files.writeString(root.resolve("token"), TOKEN);
            return Map.of("treum-gitops.git.url", host.url("desired").toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.token-file", token.toString(), "treum-gitops.git.poll-interval", "1s",
                    "treum-gitops.health-interval", "1s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static GitAuthor author() {
        return author;
    }

    public static GitHttpServer host() {
        return host;
    }

    public static void write(Path work, String version, boolean ready) throws IOException {
        StrategyRepoResource.write(FixtureRepo.environment(work, "reverting", NAMESPACE,
                "sync: {auto: true, prune: true, interval: 10m}", "rollout: {revertCommit: true}"), NAMESPACE, "rolling", 2,
                version, ready);
    }

    @Override
    public void stop() {
        try {
            author.close();
            host.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
