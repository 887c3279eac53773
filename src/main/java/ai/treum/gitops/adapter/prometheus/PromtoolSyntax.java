package ai.treum.gitops.adapter.prometheus;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.port.RuleSyntax;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** {@code promtool check rules} on each file, written to a scratch folder under its own name. */
@ApplicationScoped
public class PromtoolSyntax implements RuleSyntax {

    private static final Logger LOG = Logger.getLogger(PromtoolSyntax.class);

    private final Promtool promtool;
    private final AtomicBoolean warned = new AtomicBoolean();

    @Inject
    PromtoolSyntax(GitopsConfig config) {
        this(config.alerts().promtool());
    }

    /** @param executable promtool's path, or its name on the PATH */
    public PromtoolSyntax(String executable) {
        this.promtool = new Promtool(executable, Duration.ofSeconds(30));
    }

    @Override
    public List<String> problems(RuleFile file) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("treum-gitops-rules");
            Path written = Files.writeString(dir.resolve(file.name()), file.content());
            Promtool.RuleCheck check = promtool.checkRules(written);
            if (check instanceof Promtool.RuleCheck.Unavailable unavailable) {
                if (!warned.getAndSet(true)) {
                    LOG.warnf("alert rules are checked without promtool: %s", unavailable.reason());
                }
                return List.of();
            }
            if (check instanceof Promtool.RuleCheck.Invalid invalid) {
                String prefix = written.toString();
                return Arrays.stream(invalid.findings().split("\n")).map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("Checking ") && !line.equals("FAILED:"))
                        .map(line -> line.replace(prefix + ": ", "").replace(prefix, file.name())).toList();
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debugf("scratch folder %s left behind: %s", dir, e.getMessage());
        }
    }
}
