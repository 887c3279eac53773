package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two environments side by side for hostile input: {@code hostile} (namespace
 * {@code hostile-target}), whose files the test spoils one way after another, and {@code calm}
 * (namespace {@code calm-target}), which must keep syncing meanwhile. Each holds a ConfigMap
 * {@code settings} whose VERSION says which commit was applied. The repository's path is in the
 * system property {@link #REPO_PROPERTY}.
 */
public class HostileRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.hostile-repo";
    public static final String HOSTILE = "hostile-target";
    public static final String CALM = "calm-target";
    /** The daemon's cap on waiting for a pre-sync hook, whatever a Job's deadline in Git says. */
    public static final String HOOK_MAX_WAIT = "20s";

    public HostileRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        hostile(tree, "v1", "sync: {auto: true, interval: 10m}");
        calm(tree, "v1");
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.hook-max-wait", HOOK_MAX_WAIT);
    }

    /**
     * Writes environment {@code hostile} afresh (its folder emptied first) at a version, with these
     * lines of spec; returns its kubernetes/ folder, where a test adds what spoils it.
     */
    public static Path hostile(Path work, String version, String... spec) throws IOException {
        Path folder = work.resolve("environments/hostile");
        if (Files.exists(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Path dir = FixtureRepo.environment(work, "hostile", HOSTILE, spec);
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(HOSTILE, version));
        return dir;
    }

    public static void calm(Path work, String version) throws IOException {
        Path dir = FixtureRepo.environment(work, "calm", CALM, "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(CALM, version));
    }
}
