package ai.treum.gitops.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The alert rules shipped in environments/: they pass the daemon's check and promtool's, and
 * production's fire and stay quiet as {@code src/test/resources/alerts/production.test.yaml}
 * says, in {@code promtool test rules} over the very files the daemon writes.
 */
@Tag("peer")
class ShippedAlertRulesTest {

    @TempDir
    Path tmp;

    private static AlertRules.Checked shipped(String env) throws IOException {
        List<SourceFile> files;
        try (Stream<Path> paths = Files.list(Path.of("environments", env, "alerts"))) {
            files = paths.sorted().map(p -> new SourceFile(p.toString(), read(p))).toList();
        }
        LoadResult loaded = ManifestLoader.load(files, "treum-" + env);
        return AlertRules.check(((LoadResult.Loaded) loaded).resources());
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging"})
    void passTheStructuralCheckAndPromtool(String env) throws Exception {
        AlertRules.Checked checked = shipped(env);
        assertThat(checked.errors()).isEmpty();
        assertThat(checked.files()).extracting(RuleFile::name).containsExactly("treum-gitops.yaml", "treum.yaml");
        for (RuleFile file : checked.files()) {
            Path written = Files.writeString(tmp.resolve(file.name()), file.content());
            assertThat(promtool("check", "rules", written.toString())).as(file.name()).startsWith("0\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging"})
    void everyAlertFiresAndStaysQuietAsItsUnitTestsSay(String env) throws Exception {
        AlertRules.Checked checked = shipped(env);
        for (RuleFile file : checked.files()) {
            Files.writeString(tmp.resolve(file.name()), file.content());
        }
        Path tests = Files.copy(Path.of("src/test/resources/alerts/" + env + ".test.yaml"), tmp.resolve(env + ".test.yaml"));
        // every alert of the environment has a case that must fire and one that must not
        String cases = Files.readString(tests);
        for (RuleFile file : checked.files()) {
            for (String alert : java.util.regex.Pattern.compile("(?m)^\\s*- alert: (\\S+)").matcher(file.content()).results()
                    .map(m -> m.group(1)).toList()) {
                assertThat(cases).as(env + " " + alert).contains("alertname: " + alert + "\n        exp_alerts: []")
                        .containsPattern("alertname: " + alert + "\n        exp_alerts:\n");
            }
        }

        assertThat(promtool("test", "rules", tests.toString()).strip()).isEqualTo("0\nUnit Testing:  " + tests + "\n  SUCCESS");
    }

    /** The exit code, a newline, and what promtool printed. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("promtool"), Stream.of(args)).toList())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() + "\n" + output;
    }
}
