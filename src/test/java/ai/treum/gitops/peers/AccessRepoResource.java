package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for the API's authorization tests: environment {@code guarded} (namespace
 * {@code access-guarded}), with auto-sync off, so only an authorized caller's sync applies it.
 * Reads are authenticated as they are by default. The repository's path is in the system
 * property {@link #REPO_PROPERTY}.
 */
public class AccessRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.access-repo";
    public static final String NAMESPACE = "access-guarded";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-access", tree -> write(tree, "v1"));
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.api.authenticate-reads", "true");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment at one version: its ConfigMap {@code settings} says it in VERSION. */
    public static void write(Path work, String version) throws IOException {
        Path dir = FixtureRepo.environment(work, "guarded", NAMESPACE, "sync: {auto: false, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(NAMESPACE, version));
    }

    /** Writes {@code policies/retired-version.yaml}: no ConfigMap may say VERSION v1 any more (Deny). */
    public static void retireVersionOne(Path work) throws IOException {
        FixtureRepo.policy(work, "retired-version", "configmaps",
                "!has(object.data) || !('VERSION' in object.data) || object.data.VERSION != 'v1'",
                "version v1 is retired", "Deny");
    }

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
