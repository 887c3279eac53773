package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.rollout.AnalysisRun;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.peers.GuideMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Production's own analysis (environments/production/environment.yaml: the guide's 5xx rate above
 * 0.05/s and p95 above 1 s, on the metrics the services export) against a real Prometheus scraping
 * an application: it passes a healthy one and fails one that errs or is slow, on its first
 * measurement, as production's failureLimit of 0 says.
 */
@Tag("peer")
class BundledAnalysisTest {

    private static final Path PRODUCTION = Path.of("environments/production/environment.yaml");
    private static final String NAMESPACE = "treum-production";

    @TempDir
    Path tmp;
    private ScrapedApplication app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aHealthyCanaryPassesEveryMeasurement() throws Exception {
        Analysis analysis = serve(0, 0.05);

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements(); i++) {
            run = run.measure(app.measure(analysis, NAMESPACE), Instant.now());
        }
        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.PASSED);
    }

    @ParameterizedTest
    @CsvSource({"error-rate, 2, 0.05", "p95-latency, 0, 3"})
    void aCanaryThatErrsOrIsSlowFailsAtOnce(String failing, int errorsPerScrape, double seconds) throws Exception {
        Analysis analysis = serve(errorsPerScrape, seconds);

        AnalysisRun run = AnalysisRun.start().measure(app.measure(analysis, NAMESPACE), Instant.now());
        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.FAILED);
        assertThat(run.describe(analysis)).contains(failing);
    }

    /**
     * The services' metrics as the guide's application exports them, 100 requests a scrape of
     * which {@code errors} answer 500, each taking {@code seconds}; and production's analysis,
     * pointed at the Prometheus that scrapes them, once every check has a value.
     */
    private Analysis serve(int errors, double seconds) throws Exception {
        app = ScrapedApplication.serving(tmp, n -> GuideMetrics.of(NAMESPACE, (100 - errors) * n, errors * n, seconds));
        String yaml = Files.readString(PRODUCTION).replace("http://kube-prometheus-stack-prometheus.monitoring:9090",
                app.prometheus().toString());
        Analysis analysis = EnvironmentLoader.load(new SourceFile(PRODUCTION.toString(), yaml), "production").environment()
                .rollout().analysis().orElseThrow();
        assertThat(analysis.failureLimit()).isZero();
        assertThat(analysis.checks()).extracting(Check::name).containsExactly("error-rate", "p95-latency");
        app.awaitValues(analysis, NAMESPACE);
        return analysis;
    }
}
