package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Two environments side by side for hostile input: {@code hostile} (namespace
 * {@code hostile-target}), whose files the test spoils one way after another, and {@code calm}
 * (namespace {@code calm-target}), which must keep syncing meanwhile. Each holds a ConfigMap
 * {@code settings} whose VERSION says which commit was applied. The repository's path is in the
 * system property {@link #REPO_PROPERTY}.
 */
public class HostileRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.hostile-repo";
    public static final String HOSTILE = "hostile-target";
    public static final String CALM = "calm-target";
    /** The daemon's cap on waiting for a pre-sync hook, whatever a Job's deadline in Git says. */
    public static final String HOOK_MAX_WAIT = "20s";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-hostile", tree -> {
                hostile(tree, "v1", "sync: {auto: true, interval: 10m}");
                calm(tree, "v1");
            });
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.hook-max-wait", HOOK_MAX_WAIT);
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
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

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
