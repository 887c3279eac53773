package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.rollout.AnalysisRun;
import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.peers.PrometheusServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
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
class BundledAnalysisTest {

    private static final Path PRODUCTION = Path.of("environments/production/environment.yaml");

    @TempDir
    Path tmp;
    private HttpServer app;
    private PrometheusServer prometheus;
    private final PrometheusQueries queries = new PrometheusQueries();
    private final AtomicLong scrapes = new AtomicLong();

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
    void aHealthyCanaryPassesEveryMeasurement() throws Exception {
        serve(0, 0.05);
        Analysis analysis = production();
        awaitData(analysis);

        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < analysis.measurements(); i++) {
            run = run.measure(measure(analysis), Instant.now());
        }
        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.PASSED);
    }

    @ParameterizedTest
    @CsvSource({"error-rate, 2, 0.05", "p95-latency, 0, 3"})
    void aCanaryThatErrsOrIsSlowFailsAtOnce(String failing, int errorsPerScrape, double seconds) throws Exception {
        serve(errorsPerScrape, seconds);
        Analysis analysis = production();
        awaitData(analysis);

        AnalysisRun run = AnalysisRun.start().measure(measure(analysis), Instant.now());
        assertThat(run.verdict(analysis)).as(run.describe(analysis)).isEqualTo(AnalysisRun.Verdict.FAILED);
        assertThat(run.describe(analysis)).contains(failing);
    }

    private Analysis production() throws Exception {
        String yaml = Files.readString(PRODUCTION).replace("http://kube-prometheus-stack-prometheus.monitoring:9090",
                prometheus.url().toString());
        Analysis analysis = EnvironmentLoader.load(new SourceFile(PRODUCTION.toString(), yaml), "production").environment()
                .rollout().analysis().orElseThrow();
        assertThat(analysis.failureLimit()).isZero();
        assertThat(analysis.checks()).extracting(Check::name).containsExactly("error-rate", "p95-latency");
        return analysis;
    }

    /** rate() needs two scrapes of the counters. */
    private void awaitData(Analysis analysis) {
        await().atMost(Duration.ofSeconds(30)).until(() -> measure(analysis).values().stream()
                .allMatch(r -> r instanceof QueryResult.Value));
    }

    private Map<Check, QueryResult> measure(Analysis analysis) {
        Map<Check, QueryResult> results = new LinkedHashMap<>();
        for (Check check : analysis.checks()) {
            results.put(check, queries.query(prometheus.url() + "/", check.query().replace("${namespace}", "treum-production")));
        }
        return results;
    }

    /**
     * The services' metrics as the guide's application exports them: 100 requests a scrape, of
     * which {@code errors} answer 500, every one taking {@code seconds}.
     */
    private void serve(int errors, double seconds) throws Exception {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/q/metrics", exchange -> {
            long n = scrapes.incrementAndGet();
            long fast = seconds <= 0.1 ? 100 * n : 0;
            long underOne = seconds <= 1 ? 100 * n : 0;
            String text = String.format(Locale.ROOT, """
                    # TYPE api_requests_total counter
                    api_requests_total{namespace="treum-production",status="200"} %d
                    api_requests_total{namespace="treum-production",status="500"} %d
                    # TYPE api_request_duration_seconds histogram
                    api_request_duration_seconds_bucket{namespace="treum-production",le="0.1"} %d
                    api_request_duration_seconds_bucket{namespace="treum-production",le="1"} %d
                    api_request_duration_seconds_bucket{namespace="treum-production",le="5"} %d
                    api_request_duration_seconds_bucket{namespace="treum-production",le="+Inf"} %d
                    api_request_duration_seconds_sum{namespace="treum-production"} %f
                    api_request_duration_seconds_count{namespace="treum-production"} %d
                    """, (100 - errors) * n, errors * n, fast, underOne, 100 * n, 100 * n, seconds * 100 * n, 100 * n);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        prometheus = PrometheusServer.scraping("127.0.0.1:" + app.getAddress().getPort(), tmp);
    }
}
