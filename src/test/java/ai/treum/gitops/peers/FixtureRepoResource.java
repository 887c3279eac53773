package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.util.FileUtils;

/**
 * A test class's desired state: a {@link FixtureRepo} made of {@link #files} when the class
 * starts, the daemon pointed at its {@code main} with the class's {@link #settings}, and the work
 * tree's path in a system property for tests that commit to it. The repository goes when the
 * class is done.
 */
public abstract class FixtureRepoResource implements QuarkusTestResourceLifecycleManager {

    private final String property;
    private Path work;

    /** @param property the system property that gets the work tree's path, or null when no test commits */
    protected FixtureRepoResource(String property) {
        this.property = property;
    }

    /** The files of the first commit. */
    protected abstract void files(Path tree) throws IOException;

    /** The daemon's settings beside the repository and branch: intervals, timers, secrets, peers started for it. */
    protected Map<String, String> settings(Path work) throws Exception {
        return Map.of();
    }

    @Override
    public Map<String, String> start() {
        try {
            work = FixtureRepo.create("treum-gitops-" + getClass().getSimpleName(), this::files);
            if (property != null) {
                System.setProperty(property, work.toString());
            }
            Map<String, String> config = new HashMap<>(settings(work));
            config.put("treum-gitops.git.url", work.toUri().toString());
            config.put("treum-gitops.git.branch", "main");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            FileUtils.delete(work.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
