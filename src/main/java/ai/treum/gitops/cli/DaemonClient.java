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
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DaemonClient(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
    }

    /**
     * A command's request: the answer, or empty once it has said on {@code err} why the daemon
     * could not be reached or the token not read (the commands then exit with 2).
     */
    static Optional<Answer> ask(DaemonOptions daemon, PrintWriter err, Call call) throws InterruptedException {
        Optional<String> token;
        try {
            token = daemon.token();
        } catch (IOException e) {
            err.println("cannot read the token: " + e.getMessage());
            return Optional.empty();
        }
        try {
            Answer answer = call.send(new DaemonClient(daemon.url, token));
            if (answer.status() == 401 && token.isEmpty()) {
                err.println("no token was found to send: give one with --token-file FILE "
                        + "(for a service account: kubectl create token NAME)");
            }
            return Optional.of(answer);
        } catch (IOException e) {
            err.println("cannot reach the daemon at " + daemon.url + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** A change: JSON, as the daemon takes no other kind of request body for one. */
    Answer post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Answer(response.statusCode(), body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body));
    }
}
