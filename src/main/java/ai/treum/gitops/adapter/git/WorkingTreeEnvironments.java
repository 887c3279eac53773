package ai.treum.gitops.adapter.git;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The environments found in a working tree: every folder that holds an environment.yaml. */
@ApplicationScoped
public class WorkingTreeEnvironments implements ConnectionCheck {

    static final String ENVIRONMENT_FILE = "environment.yaml";

    private final Path root;

    WorkingTreeEnvironments(GitopsConfig config) {
        this.root = config.environmentsDir().toAbsolutePath().normalize();
    }

    @Override
    public String peer() {
        return "desired-state";
    }

    @Override
    public ConnectionStatus check() {
        try {
            List<String> names = environments();
            return names.isEmpty()
                    ? ConnectionStatus.down("no " + ENVIRONMENT_FILE + " in any folder of " + root)
                    : ConnectionStatus.up(root + ": " + String.join(", ", names));
        } catch (IOException e) {
            return ConnectionStatus.down(root + ": cannot read (" + e + ")");
        }
    }

    /** Names of the environments, sorted. */
    public List<String> environments() throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(dir -> Files.isRegularFile(dir.resolve(ENVIRONMENT_FILE)))
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
