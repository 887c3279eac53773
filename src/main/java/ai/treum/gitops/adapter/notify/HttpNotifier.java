package ai.treum.gitops.adapter.notify;

import ai.treum.gitops.core.notify.Deliveries;
import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.model.NotificationTarget;
import ai.treum.gitops.port.Notifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers notifications over HTTP from one background thread: a 5xx, a 429 or no answer is tried
 * again after a delay that doubles each time, up to the configured tries; any other refusal, a
 * secret that cannot be read, or a target over its per-minute limit is given up at once. Either
 * way the outcome is counted; a delivery given up is logged with the target and the status,
 * never with the URL of a Slack target or a header (both hold secrets).
 */
public class HttpNotifier implements Notifier, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HttpNotifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** How deliveries are made, the same for every target. */
    public record Settings(Path secretsDir, URI githubApi, int attempts, Duration retryDelay, int perMinute) {
    }

    private final Settings settings;
    private final Outcomes outcomes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "notifications");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public HttpNotifier(Settings settings, Outcomes outcomes) {
        this.settings = settings;
        this.outcomes = outcomes;
    }

    @Override
    public void send(List<NotificationTarget> targets, Notification notification) {
        for (NotificationTarget target : targets) {
            if (Deliveries.wanted(target, notification)) {
                worker.execute(() -> first(target, notification));
            }
        }
    }

    private void first(NotificationTarget target, Notification notification) {
        if (!withinLimit(notification.environment() + "/" + target.name())) {
            giveUp(target, notification, "more than " + settings.perMinute() + " in a minute");
            return;
        }
        Optional<Deliveries.Request> request;
        try {
            request = Deliveries.request(target, notification, secret(target), settings.githubApi());
        } catch (IOException | IllegalArgumentException e) {
            giveUp(target, notification, "its secret " + target.secret() + " cannot be read or used");
            return;
        }
        request.ifPresent(r -> attempt(target, notification, r, 1));
    }

    private void attempt(NotificationTarget target, Notification notification, Deliveries.Request request, int tried) {
        String failure;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request.url()).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
            int status = http.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                outcomes.delivered(notification.environment(), target.name(), true);
                return;
            }
            failure = "answered " + status;
            if (status != 429 && status < 500) {
                giveUp(target, notification, failure);
                return;
            }
        } catch (IOException e) {
            failure = "no answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (tried >= settings.attempts()) {
            giveUp(target, notification, failure + " after " + tried + " tries");
            return;
        }
        long delay = settings.retryDelay().toMillis() << (tried - 1);
        worker.schedule(() -> attempt(target, notification, request, tried + 1), delay, TimeUnit.MILLISECONDS);
    }

    private void giveUp(NotificationTarget target, Notification notification, String why) {
        LOG.warnf("environment %s: notification %s to %s given up: %s", notification.environment(),
                notification.reason().title(), target.name(), why);
        outcomes.delivered(notification.environment(), target.name(), false);
    }

    /** A sliding minute per target: at most {@code perMinute} deliveries started in it. */
    private boolean withinLimit(String target) {
        Instant now = Instant.now();
        Deque<Instant> started = recent.computeIfAbsent(target, t -> new ArrayDeque<>());
        while (!started.isEmpty() && started.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
            started.pollFirst();
        }
        if (started.size() >= settings.perMinute()) {
            return false;
        }
        started.addLast(now);
        return true;
    }

    /** The target's secret file: a bare name inside the folder, which the loader checked. */
    private String secret(NotificationTarget target) throws IOException {
        Path file = settings.secretsDir().resolve(target.secret()).normalize();
        if (!file.getParent().equals(settings.secretsDir().normalize())) {
            throw new IOException("not in the secrets folder");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
