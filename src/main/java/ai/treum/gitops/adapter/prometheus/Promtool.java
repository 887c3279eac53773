package ai.treum.gitops.adapter.prometheus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' own {@code promtool} on rule files, so a rule is judged by Prometheus' parser. */
public final class Promtool {

    private final String executable;
    private final Duration timeout;

    public Promtool(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** {@code promtool check rules FILE}: PromQL syntax, label and annotation templates, duplicates. */
    public RuleCheck checkRules(Path ruleFile) {
        Process process;
        try {
            process = new ProcessBuilder(executable, "check", "rules", ruleFile.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return new RuleCheck.Unavailable(executable + " cannot be run: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new RuleCheck.Unavailable(executable + " did not finish within " + timeout);
            }
            return process.exitValue() == 0 ? new RuleCheck.Valid(output) : new RuleCheck.Invalid(output);
        } catch (IOException e) {
            process.destroyForcibly();
            return new RuleCheck.Unavailable("reading " + executable + " output failed: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new RuleCheck.Unavailable(executable + " was interrupted");
        }
    }

    /** What promtool said of a rule file. */
    public sealed interface RuleCheck {

        /** promtool accepted the file. */
        record Valid(String output) implements RuleCheck {
        }

        /** promtool rejected the file; its output names the group, rule and error. */
        record Invalid(String findings) implements RuleCheck {
        }

        /** promtool could not give an answer; a caller falls back to its own structural check. */
        record Unavailable(String reason) implements RuleCheck {
        }
    }
}
