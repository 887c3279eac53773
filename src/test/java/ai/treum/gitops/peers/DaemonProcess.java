package ai.treum.gitops.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The packaged daemon (the fast-jar) as its own process against the local peers, for tests of
 * what only a process shows: several replicas, a restart, its log output (stdout and stderr, in
 * {@code log}).
 */
public record DaemonProcess(String identity, Process process, int port, Path log) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Starts a daemon syncing {@code repo} with its own objects in {@code namespace}, and waits until it is live.
     *
     * @param environment more environment variables (configuration) for this daemon
     */
    public static DaemonProcess launch(String identity, Path repo, String namespace, Map<String, String> environment)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = Files.createTempDirectory("treum-gitops-" + identity);
        Path log = data.resolve("daemon.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar", "target/quarkus-app/quarkus-run.jar", "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KUBECONFIG", LocalPeers.get().kubeconfig().toString());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("TREUM_GITOPS_GIT_URL", repo.toUri().toString());
        env.put("TREUM_GITOPS_GIT_BRANCH", "main");
        env.put("TREUM_GITOPS_GIT_POLL_INTERVAL", "1s");
        env.put("TREUM_GITOPS_DATA_DIR", data.resolve("data").toString());
        env.put("TREUM_GITOPS_NAMESPACE", namespace);
        env.put("TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE", LocalPeers.get().motoUrl().toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", "eu-west-1");
        env.putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        DaemonProcess daemon = new DaemonProcess(identity, process, port, log);
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            assertThat(process.isAlive()).as("%s is running; its log: %s", identity, log).isTrue();
            return daemon.live();
        });
        return daemon;
    }

    /** What the API answers at {@code path} (e.g. {@code /api/v1/environments/a}); an empty object unless 200. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + ApiTokens.operator()).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    /** Kills the process without a word, as a node failure would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private boolean live() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
