package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.Promotion;
import ai.treum.gitops.peers.FixtureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** environment.yaml as hostile or careless hands write it: each mistake an error with its line, nothing defaulted. */
@Tag("peer")
class EnvironmentLoaderTest {

    private static EnvironmentLoader.Result load(String spec) {
        return EnvironmentLoader.load(new SourceFile("environments/staging/environment.yaml",
                FixtureRepo.environmentYaml("staging", "treum-staging") + spec), "staging");
    }

    private static List<String> errors(String spec) {
        EnvironmentLoader.Result result = load(spec);
        assertThat(result.environment()).as("a rejected environment.yaml yields no environment").isNull();
        return result.errors().stream().map(LoadError::toString).toList();
    }

    @Test
    void aMisspeltKeyIsAnErrorOnItsLineNotASilentDefault() {
        assertThat(errors("""
                  sync:
                    auto: true
                    selfheal: true
                """)).containsExactly("environments/staging/environment.yaml:9: unknown-field: spec.sync.selfheal is not a "
                        + "field of an Environment; known here: allowEmpty, auto, interval, maxPrunePercent, prune, selfHeal");
    }

    @Test
    void aValueOfTheWrongTypeIsAnErrorNotFalse() {
        assertThat(errors("""
                  sync:
                    auto: "yes"
                    maxPrunePercent: 50%
                """)).containsExactly(
                        "environments/staging/environment.yaml:8: field-type: spec.sync.auto must be true or false, found string",
                        "environments/staging/environment.yaml:9: field-type: spec.sync.maxPrunePercent must be an integer, "
                                + "found string");
    }

    @Test
    void hugeZeroAndNegativeIntervalsAreErrorsThatNameTheirLine() {
        assertThat(errors("  sync:\n    interval: 99999999999999999999s\n")).singleElement().asString()
                .isEqualTo("environments/staging/environment.yaml:8: environment-interval: spec.sync.interval "
                        + "'99999999999999999999s' is longer than 1d");
        assertThat(errors("  sync:\n    interval: 9999999999999999d\n")).singleElement().asString()
                .contains("environment-interval").contains("longer than 1d");
        assertThat(errors("  sync:\n    interval: 0s\n")).singleElement().asString().contains("shorter than 1s");
        assertThat(errors("  aws:\n    interval: -5m\n")).singleElement().asString().contains(":8: environment-interval")
                .contains("negative");
    }

    @Test
    void aPromotionNamesAnotherEnvironmentAndABoundedWindow() {
        assertThat(errors("  promotion:\n    from: staging\n    healthyFor: 8d\n")).containsExactly(
                "environments/staging/environment.yaml:7: environment-promotion: spec.promotion.from must name another "
                        + "environment",
                "environments/staging/environment.yaml:7: environment-promotion: spec.promotion.healthyFor '8d' is longer "
                        + "than 7d");
        assertThat(errors("  promotion:\n    from: qa\n    requireAnalysis: maybe\n")).singleElement().asString()
                .contains("field-type: spec.promotion.requireAnalysis must be true or false");
    }

    @Test
    void goDurationsAreRead() {
        EnvironmentLoader.Result result = load("  sync:\n    interval: 1m30s\n  aws:\n    interval: 5m0s\n");
        assertThat(result.errors()).isEmpty();
        assertThat(result.environment().sync().interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(result.environment().aws().interval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theBundledEnvironmentsLoadUnchanged() throws Exception {
        for (String env : List.of("staging", "production", "platform")) {
            assertThat(bundled(env).errors()).as(env).isEmpty();
        }
    }

    @Test
    void theBundledProductionTakesOnlyWhatStagingProvedByProductionsOwnChecks() throws Exception {
        EnvironmentSpec production = bundled("production").environment();
        EnvironmentSpec staging = bundled("staging").environment();

        assertThat(production.promotion()).contains(new Promotion("staging", Duration.ofMinutes(10), true));
        assertThat(staging.rollout().analysis()).isPresent().isEqualTo(production.rollout().analysis());
    }

    private static EnvironmentLoader.Result bundled(String env) throws IOException {
        Path file = Path.of("environments", env, "environment.yaml");
        return EnvironmentLoader.load(new SourceFile(file.toString(), Files.readString(file)), env);
    }
}
