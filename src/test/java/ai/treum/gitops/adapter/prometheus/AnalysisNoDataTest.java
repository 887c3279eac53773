package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.rollout.AnalysisRun;
import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.PrometheusServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default analysis checks against a real Prometheus: where the application exports nothing,
 * no measurement counts and the analysis never passes; where it serves requests without errors,
 * the same checks measure and pass.
 */
class AnalysisNoDataTest {

    @TempDir
    Path tmp;
    private HttpServer app;
    private PrometheusServer prometheus;
    private final PrometheusQueries queries = new PrometheusQueries();
    private final AtomicLong served = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void noSeriesIsInconclusiveEvenAfterEveryMeasurement() throws Exception {
        start(false);
        Analysis analysis = defaultAnalysis();

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements() + 2; i++) {
            run = run.measure(measure(analysis), Instant.now());
        }

        assertThat(run.verdict(analysis)).withFailMessage("no data must never pass a rollout: %s", run.describe(analysis))
                .isEqualTo(AnalysisRun.Verdict.PAUSED);
        assertThat(run.measured()).isZero();
        assertThat(run.describe(analysis)).contains("error-rate: no data");
    }

    @Test
    void requestsWithoutErrorsMeasureAndPass() throws Exception {
        start(true);
        Analysis analysis = defaultAnalysis();
        // rate() needs two scrapes of the counters
        await().atMost(Duration.ofSeconds(30)).until(() -> measure(analysis).values().stream()
                .allMatch(r -> r instanceof QueryResult.Value));

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements(); i++) {
            run = run.measure(measure(analysis), Instant.now());
        }

        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.PASSED);
        assertThat(measure(analysis).get(analysis.checks().get(0))).isEqualTo(new QueryResult.Value(0));
    }

    private Map<Check, QueryResult> measure(Analysis analysis) {
        Map<Check, QueryResult> results = new LinkedHashMap<>();
        for (Check check : analysis.checks()) {
            results.put(check, queries.query(prometheus.url() + "/", check.query().replace("${namespace}", "shop")));
        }
        return results;
    }

    /** The application's metrics endpoint: nothing, or requests of namespace shop, all 200, all fast. */
    private void start(boolean serving) throws Exception {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/q/metrics", exchange -> {
            long n = served.addAndGet(10);
            String text = !serving ? "" : """
                    # TYPE api_requests_total counter
                    api_requests_total{namespace="shop",status="200"} %d
                    # TYPE api_request_duration_seconds histogram
                    api_request_duration_seconds_bucket{namespace="shop",le="0.1"} %d
                    api_request_duration_seconds_bucket{namespace="shop",le="1"} %d
                    api_request_duration_seconds_bucket{namespace="shop",le="+Inf"} %d
                    api_request_duration_seconds_sum{namespace="shop"} %d
                    api_request_duration_seconds_count{namespace="shop"} %d
                    """.formatted(n, n, n, n, n / 20, n);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        prometheus = PrometheusServer.scraping("127.0.0.1:" + app.getAddress().getPort(), tmp);
    }

    /** The default checks, as an environment.yaml that names only its Prometheus gets them. */
    private Analysis defaultAnalysis() {
        return EnvironmentLoader.load(new SourceFile("environments/shop/environment.yaml", FixtureRepo.environmentYaml(
                "shop", "shop", "rollout:", "  analysis:", "    prometheus: " + prometheus.url())), "shop")
                .environment().rollout().analysis().orElseThrow();
    }
}
