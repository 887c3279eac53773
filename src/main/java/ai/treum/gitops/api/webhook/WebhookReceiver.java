package ai.treum.gitops.api.webhook;

import ai.treum.gitops.api.Problem;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.webhook.PushEvent;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * What every webhook goes through, in this order: the provider is configured; the request is
 * authentic (before its body is parsed); it is not a replay; it parses; it is a push to the
 * tracked branch. Only then is the repository fetched and are the environments it touched synced.
 * Any earlier failure answers with its status and does nothing else.
 */
@ApplicationScoped
public class WebhookReceiver {

    private static final Logger LOG = Logger.getLogger(WebhookReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitopsConfig config;
    private final DesiredStateWatcher watcher;
    private final GitopsMetrics metrics;
    private final Deliveries deliveries;

    WebhookReceiver(GitopsConfig config, DesiredStateWatcher watcher, GitopsMetrics metrics) {
        this.config = config;
        this.watcher = watcher;
        this.metrics = metrics;
        this.deliveries = new Deliveries(config.webhooks().rememberedDeliveries());
    }

    /**
     * @param event    the provider's event name, normalised: "push", "ping" or anything else
     * @param delivery the provider's delivery id, or null where it sends none
     */
    /** @param authentic how the provider proves a request, given the secret */
    public Response receive(String provider, GitopsConfig.Webhooks.Provider settings, Predicate<String> authentic,
            String event, String delivery, byte[] body, String path) {
        Optional<String> secret = secret(settings);
        if (secret.isEmpty()) {
            return done(provider, "not_configured", Problem.notFound("the " + provider + " webhook has no secret "
                    + "configured, so it is off", path).toResponse());
        }
        if (!authentic.test(secret.get())) {
            return done(provider, "unauthorized", new Problem("https://treum.ai/problems/webhook-signature",
                    "Unauthorized", 401, "missing or wrong signature (or, for generic, no X-Delivery)", path).toResponse());
        }
        if (delivery != null && delivery.length() > Deliveries.MAX_ID_LENGTH) {
            return done(provider, "malformed", new Problem("https://treum.ai/problems/webhook-delivery", "Bad Request",
                    400, "a delivery id is at most " + Deliveries.MAX_ID_LENGTH + " characters", path).toResponse());
        }
        if (delivery != null && !deliveries.firstTime(provider + "/" + delivery)) {
            return done(provider, "replayed", new Problem("https://treum.ai/problems/webhook-replay", "Conflict", 409,
                    "this delivery was already received", path).toResponse());
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            return done(provider, "malformed", new Problem("https://treum.ai/problems/webhook-payload", "Bad Request",
                    400, "the body is not a JSON object", path).toResponse());
        }
        if (event.equals("ping")) {
            return done(provider, "ping", Response.ok(Map.of("ping", "pong")).build());
        }
        if (!event.equals("push")) {
            return done(provider, "ignored", Response.accepted(Map.of("ignored", "event " + event, "queued", List.of()))
                    .build());
        }
        PushEvent push;
        try {
            push = PushEvent.of(payload);
        } catch (IllegalArgumentException e) {
            return done(provider, "malformed", new Problem("https://treum.ai/problems/webhook-payload", "Bad Request",
                    400, e.getMessage(), path).toResponse());
        }
        String tracked = "refs/heads/" + config.git().branch();
        if (!tracked.equals(push.ref())) {
            return done(provider, "ignored", Response.accepted(Map.of("ignored", "ref " + push.ref() + " is not "
                    + tracked, "queued", List.of())).build());
        }
        Set<String> queued = new TreeSet<>(push.environments(config.git().path()));
        queued.retainAll(watcher.environments());
        // the fetch runs on the watcher's own thread, shared by every push until it starts
        watcher.fetchSoon(queued);
        LOG.infof("%s push to %s: fetching, then syncing %s", provider, push.ref(), queued.isEmpty() ? "nothing" : queued);
        return done(provider, "accepted", Response.accepted(Map.of("queued", queued)).build());
    }

    private Response done(String provider, String result, Response response) {
        metrics.webhook(provider, result);
        return response;
    }

    private static Optional<String> secret(GitopsConfig.Webhooks.Provider settings) {
        if (settings.secret().isPresent() && !settings.secret().get().isBlank()) {
            return settings.secret();
        }
        return settings.secretFile().map(file -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                LOG.errorf("cannot read webhook secret file %s: %s", file, e.getMessage());
                return null;
            }
        }).filter(s -> !s.isBlank());
    }
}
