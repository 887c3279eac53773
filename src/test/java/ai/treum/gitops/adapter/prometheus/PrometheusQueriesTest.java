package ai.treum.gitops.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.peers.PrometheusServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instant queries against a real Prometheus server: what each kind of answer becomes. */
@Tag("peer")
class PrometheusQueriesTest {

    @TempDir
    static Path tmp;
    private static PrometheusServer prometheus;
    private final PrometheusQueries queries = new PrometheusQueries();

    @BeforeAll
    static void start() throws Exception {
        prometheus = PrometheusServer.scraping("127.0.0.1:1", tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        prometheus.close();
    }

    private QueryResult ask(String promql) {
        return queries.query(prometheus.url() + "/", promql);
    }

    @Test
    void aSingleSampleOrAScalarIsAValue() {
        assertThat(ask("vector(0.25)")).isEqualTo(new QueryResult.Value(0.25));
        assertThat(ask("scalar(vector(2))")).isEqualTo(new QueryResult.Value(2));
        assertThat(ask("vector(1) / 0")).isEqualTo(new QueryResult.Value(Double.POSITIVE_INFINITY));
    }

    @Test
    void anEmptyResultOrNaNIsNoData() {
        assertThat(ask("up{job=\"nothing-scrapes-this\"}")).isEqualTo(new QueryResult.NoData());
        assertThat(ask("vector(0) / 0")).isEqualTo(new QueryResult.NoData());
    }

    @Test
    void severalSeriesABadQueryOrNoServerAreUnavailable() {
        assertThat(ask("vector(1) or label_replace(vector(2), \"a\", \"b\", \"\", \"\")"))
                .isEqualTo(new QueryResult.Unavailable("the query returned 2 series; aggregate it to one"));
        assertThat(ask("sum(")).isInstanceOfSatisfying(QueryResult.Unavailable.class,
                u -> assertThat(u.reason()).startsWith("HTTP 400: "));
        assertThat(queries.query("http://127.0.0.1:1", "vector(1)")).isInstanceOf(QueryResult.Unavailable.class);
    }
}
