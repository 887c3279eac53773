package ai.treum.gitops.adapter.prometheus;

import ai.treum.gitops.core.rollout.QueryResult;
import ai.treum.gitops.port.MetricsQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code GET /api/v1/query} of Prometheus' HTTP API. */
@ApplicationScoped
public class PrometheusQueries implements MetricsQuery {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public QueryResult query(String prometheusUrl, String promql) {
        try {
            URI uri = URI.create(prometheusUrl.replaceAll("/+$", "") + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                return new QueryResult.Unavailable("HTTP " + response.statusCode() + ": " + body.path("error").asText(""));
            }
            return value(body.path("data"));
        } catch (IOException e) {
            return new QueryResult.Unavailable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QueryResult.Unavailable("interrupted");
        } catch (RuntimeException e) {
            return new QueryResult.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A scalar's value, or the first sample of a vector; several series are one too many to judge. */
    private static QueryResult value(JsonNode data) {
        JsonNode sample = switch (data.path("resultType").asText()) {
            case "scalar" -> data.path("result");
            case "vector" -> data.path("result").size() == 1 ? data.path("result").get(0).path("value") : null;
            default -> null;
        };
        if (data.path("resultType").asText().equals("vector") && data.path("result").size() > 1) {
            return new QueryResult.Unavailable("the query returned " + data.path("result").size()
                    + " series; aggregate it to one");
        }
        if (sample == null || !sample.isArray() || sample.size() < 2) {
            return new QueryResult.NoData();
        }
        String text = sample.get(1).asText();
        double value = text.endsWith("Inf") ? (text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(text);
        return Double.isNaN(value) ? new QueryResult.NoData() : new QueryResult.Value(value);
    }
}
