package ai.treum.gitops.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's, installed by scripts/test-peers.sh) scraping one target
 * every second, queried through its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI url;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, URI url, Path dir) {
        this.process = process;
        this.url = url;
        this.dir = dir;
    }

    /** @param target host:port serving {@code /q/metrics} */
    public static PrometheusServer scraping(String target, Path dir) throws IOException, InterruptedException {
        return scraping(target, dir, freePort());
    }

    /** On a given port, so a test can stop the server and start it again where the daemon looks for it. */
    public static PrometheusServer scraping(String target, Path dir, int port) throws IOException, InterruptedException {
        return start(target, dir, port, null);
    }

    /**
     * Also loading every {@code <rules>/*.yaml}, as the daemon writes them, with {@code /-/reload} enabled.
     */
    public static PrometheusServer readingRules(String target, Path dir, Path rules) throws IOException, InterruptedException {
        return start(target, dir, freePort(), rules);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static PrometheusServer start(String target, Path dir, int port, Path rules)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                %s
                scrape_configs:
                  - job_name: treum-gitops
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["%s"]
                """.formatted(rules == null ? "" : "rule_files: [\"" + rules + "/*.yaml\"]", target));
        Process process = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), dir);
        server.awaitReady();
        return server;
    }

    public URI url() {
        return url;
    }

    /** The result vector of an instant query: {@code data.result}. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + response.body());
        }
        return body.path("data").path("result");
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready after 60 s: " + Files.readString(dir.resolve("prometheus.log")));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
