package ai.treum.gitops.peers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that takes notifications as Slack, a webhook receiver and the GitHub API
 * would: every POST is kept with its path, headers and body. The webhook path refuses its first
 * {@code failFirst} requests with a 503, as a receiver that is down for a moment.
 */
public final class NotificationSink implements AutoCloseable {

    /** One request as it arrived, and the status it was answered with. */
    public record Received(Instant at, String path, Map<String, List<String>> headers, String body, int status) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public static final String WEBHOOK_PATH = "/hook";

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger webhookFailures;

    public NotificationSink(int failFirst) throws IOException {
        webhookFailures = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            int status = path.equals(WEBHOOK_PATH) && webhookFailures.getAndDecrement() > 0 ? 503
                    : path.startsWith("/github/") ? 201 : 200;
            received.add(new Received(Instant.now(), path, Map.copyOf(exchange.getRequestHeaders()), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
