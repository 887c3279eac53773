package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for the API's authorization tests: environment {@code guarded} (namespace
 * {@code access-guarded}), with auto-sync off, so only an authorized caller's sync applies it.
 * Reads are authenticated as they are by default. The repository's path is in the system
 * property {@link #REPO_PROPERTY}.
 */
public class AccessRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.access-repo";
    public static final String NAMESPACE = "access-guarded";

    public AccessRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree, "v1");
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.api.authenticate-reads", "true");
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
}
