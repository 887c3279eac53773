package ai.treum.gitops.adapter.prometheus;

import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.peers.PrometheusServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An application's metrics endpoint on loopback and a real Prometheus scraping it every second,
 * for analysis queries to be measured against what Prometheus made of it.
 */
final class ScrapedApplication implements AutoCloseable {

    private final HttpServer app;
    private final PrometheusServer prometheus;
    private final PrometheusQueries queries = new PrometheusQueries();

    private ScrapedApplication(HttpServer app, PrometheusServer prometheus) {
        this.app = app;
        this.prometheus = prometheus;
    }

    /** @param metrics the exposition text of the n-th scrape (from 1), so counters can grow */
    static ScrapedApplication serving(Path dir, LongFunction<String> metrics) throws Exception {
        AtomicLong scrapes = new AtomicLong();
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/q/metrics", exchange -> {
            byte[] body = metrics.apply(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        return new ScrapedApplication(app, PrometheusServer.scraping("127.0.0.1:" + app.getAddress().getPort(), dir));
    }

    URI prometheus() {
        return prometheus.url();
    }

    /** Every check's query, with {@code ${namespace}} as given. */
    Map<Check, QueryResult> measure(Analysis analysis, String namespace) {
        Map<Check, QueryResult> results = new LinkedHashMap<>();
        for (Check check : analysis.checks()) {
            results.put(check, queries.query(prometheus.url() + "/", check.query().replace("${namespace}", namespace)));
        }
        return results;
    }

    /** Until every check has a value: rate() needs two scrapes of the counters. */
    void awaitValues(Analysis analysis, String namespace) {
        await().atMost(Duration.ofSeconds(30)).until(() -> measure(analysis, namespace).values().stream()
                .allMatch(r -> r instanceof QueryResult.Value));
    }

    @Override
    public void close() throws Exception {
        prometheus.close();
        app.stop(0);
    }
}
