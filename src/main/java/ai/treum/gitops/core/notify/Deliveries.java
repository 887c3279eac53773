package ai.treum.gitops.core.notify;

import ai.treum.gitops.core.webhook.Signatures;
import ai.treum.gitops.model.NotificationTarget;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP request that tells one target of one notification, or none where the target does not
 * take it (a reason or severity it filters out; a reason without a commit status). Pure: the
 * secret comes in read, and only goes where its target's kind sends it (the Slack URL is the
 * address, the HMAC key signs and is not sent, the token goes to the configured GitHub API only).
 */
public final class Deliveries {

    /** GitHub takes at most 140 characters of description. */
    static final int GITHUB_DESCRIPTION = 140;

    /** One POST of a JSON body. */
    public record Request(URI url, Map<String, String> headers, byte[] body) {
    }

    private Deliveries() {
    }

    /** Whether the target takes the notification at all. */
    public static boolean wanted(NotificationTarget target, Notification notification) {
        Notification.Reason reason = notification.reason();
        if (!target.reasons().isEmpty() && !target.reasons().contains(reason.title())) {
            return false;
        }
        if (reason.severity().compareTo(target.severity()) < 0) {
            return false;
        }
        return target.kind() != NotificationTarget.Kind.GITHUB_STATUS || reason.commitState() != null;
    }

    /**
     * @param secret    the target's secret, read from its file
     * @param githubApi the GitHub API's base URL, from the daemon's configuration (never from Git)
     */
    public static Optional<Request> request(NotificationTarget target, Notification notification, String secret,
            URI githubApi) {
        if (!wanted(target, notification)) {
            return Optional.empty();
        }
        return Optional.of(switch (target.kind()) {
            case SLACK -> slack(notification, secret.trim());
            case WEBHOOK -> webhook(target, notification, secret);
            case GITHUB_STATUS -> github(target, notification, secret.trim(), githubApi);
        });
    }

    /** One line, as the other notifications read: environment, reason, revision, what happened. */
    public static String text(Notification notification) {
        return "[" + notification.environment() + "] " + notification.reason().title() + " at "
                + shortSha(notification.revision()) + ": " + notification.message();
    }

    private static Request slack(Notification notification, String url) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("text", text(notification));
        return new Request(URI.create(url), Map.of("Content-Type", "application/json"), bytes(body));
    }

    private static Request webhook(NotificationTarget target, Notification notification, String key) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("environment", notification.environment())
                .put("reason", notification.reason().title())
                .put("severity", notification.reason().severity().name().toLowerCase())
                .put("revision", notification.revision())
                .put("message", notification.message())
                .put("at", notification.at().toString());
        byte[] bytes = bytes(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Treum-Event", notification.reason().title());
        headers.put("X-Treum-Signature-256", Signatures.sign(bytes, key));
        return new Request(URI.create(target.address()), headers, bytes);
    }

    private static Request github(NotificationTarget target, Notification notification, String token, URI api) {
        String description = notification.reason().title() + ": " + notification.message();
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("state", notification.reason().commitState())
                .put("context", "treum-gitops/" + notification.environment())
                .put("description", description.length() > GITHUB_DESCRIPTION
                        ? description.substring(0, GITHUB_DESCRIPTION - 3) + "..." : description);
        String base = api.toString().endsWith("/") ? api.toString() : api + "/";
        return new Request(URI.create(base + "repos/" + target.address() + "/statuses/" + notification.revision()),
                Map.of("Content-Type", "application/json", "Accept", "application/vnd.github+json",
                        "Authorization", "Bearer " + token, "X-GitHub-Api-Version", "2022-11-28"),
                bytes(body));
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static byte[] bytes(ObjectNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
