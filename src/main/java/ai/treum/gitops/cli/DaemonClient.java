package ai.treum.gitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The command line's way to a running daemon: its status API. */
final class DaemonClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status code and its JSON body (a problem document when it failed). */
    record Answer(int status, JsonNode body) {
    }

    /** One request to the daemon. */
    @FunctionalInterface
    interface Call {
        Answer send(DaemonClient client) throws IOException, InterruptedException;
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DaemonClient(URI base) {
        this.base = base;
    }

    /**
     * A command's request: the answer, or empty once it has said on {@code err} why the daemon at
     * {@code url} could not be reached (the commands then exit with 2).
     */
    static Optional<Answer> ask(URI url, PrintWriter err, Call call) throws InterruptedException {
        try {
            return Optional.of(call.send(new DaemonClient(url)));
        } catch (IOException e) {
            err.println("cannot reach the daemon at " + url + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Answer(response.statusCode(), body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body));
    }
}
