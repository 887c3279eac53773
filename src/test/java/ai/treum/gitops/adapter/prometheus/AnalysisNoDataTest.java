package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.rollout.AnalysisRun;
import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.peers.FixtureRepo;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default analysis checks against a real Prometheus: where the application exports nothing,
 * no measurement counts and the analysis never passes; where it serves requests without errors,
 * the same checks measure and pass.
 */
@Tag("peer")
class AnalysisNoDataTest {

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
    void noSeriesIsInconclusiveEvenAfterEveryMeasurement() throws Exception {
        app = ScrapedApplication.serving(tmp, n -> "");
        Analysis analysis = defaultAnalysis();

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements() + 2; i++) {
            run = run.measure(app.measure(analysis, "shop"), Instant.now());
        }

        assertThat(run.verdict(analysis)).withFailMessage("no data must never pass a rollout: %s", run.describe(analysis))
                .isEqualTo(AnalysisRun.Verdict.PAUSED);
        assertThat(run.measured()).isZero();
        assertThat(run.describe(analysis)).contains("error-rate: no data");
    }

    @Test
    void requestsWithoutErrorsMeasureAndPass() throws Exception {
        // requests of namespace shop, all 200, all fast
        app = ScrapedApplication.serving(tmp, scrape -> {
            long n = scrape * 10;
            return """
                    # TYPE api_requests_total counter
                    api_requests_total{namespace="shop",status="200"} %d
                    # TYPE api_request_duration_seconds histogram
                    api_request_duration_seconds_bucket{namespace="shop",le="0.1"} %d
                    api_request_duration_seconds_bucket{namespace="shop",le="1"} %d
                    api_request_duration_seconds_bucket{namespace="shop",le="+Inf"} %d
                    api_request_duration_seconds_sum{namespace="shop"} %d
                    api_request_duration_seconds_count{namespace="shop"} %d
                    """.formatted(n, n, n, n, n / 20, n);
        });
        Analysis analysis = defaultAnalysis();
        app.awaitValues(analysis, "shop");

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements(); i++) {
            run = run.measure(app.measure(analysis, "shop"), Instant.now());
        }

        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.PASSED);
        assertThat(app.measure(analysis, "shop").get(analysis.checks().get(0))).isEqualTo(new QueryResult.Value(0));
    }

    /** The default checks, as an environment.yaml that names only its Prometheus gets them. */
    private Analysis defaultAnalysis() {
        return EnvironmentLoader.load(new SourceFile("environments/shop/environment.yaml", FixtureRepo.environmentYaml(
                "shop", "shop", "rollout:", "  analysis:", "    prometheus: " + app.prometheus())), "shop")
                .environment().rollout().analysis().orElseThrow();
    }
}
