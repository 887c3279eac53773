package ai.treum.gitops.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An HTTP proxy in front of moto_server that answers the requests a rule picks with a canned
 * response and passes every other one through: for the one call a peer lacks, or an AWS error
 * (throttling) a peer cannot be made to return. Remembers every request body it saw.
 */
public final class StubbingProxy implements AutoCloseable {

    /** A canned answer. */
    public record Canned(int status, String contentType, String body) {
    }

    /** One request as the proxy saw it, and when ({@link System#nanoTime()}). */
    public record Seen(String method, String path, String body, long at) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "expect", "upgrade", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final Function<Seen, Optional<Canned>> rule;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public StubbingProxy(URI target, Function<Seen, Optional<Canned>> rule) throws IOException {
        this.target = target;
        this.rule = rule;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    new String(body, StandardCharsets.UTF_8), System.nanoTime());
            seen.add(request);
            Optional<Canned> canned = rule.apply(request);
            if (canned.isPresent()) {
                byte[] answer = canned.get().body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", canned.get().contentType());
                exchange.sendResponseHeaders(canned.get().status(), answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
