package ai.treum.gitops.core.load;

import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.model.NotificationTarget;
import ai.treum.gitops.model.NotificationTarget.Kind;
import ai.treum.gitops.model.NotificationTarget.Severity;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code spec.notifications}: each target named once, of exactly one kind, its secret named as a
 * file name (never a path: Git chooses the name, not where the daemon reads), a webhook's URL
 * over HTTPS (plain HTTP only to this host), a GitHub repository as {@code owner/name}, and only
 * reasons and severities the daemon sends. Pure.
 */
final class NotificationsBlock {

    static final String RULE = "environment-notifications";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SECRET = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private NotificationsBlock() {
    }

    static List<NotificationTarget> read(JsonNode list, SourceLocation at, List<LoadError> errors) {
        List<NotificationTarget> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String field = "spec.notifications[" + i + "]";
            int before = errors.size();
            String name = entry.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                errors.add(new LoadError(at, RULE, field + ".name must be a DNS label, found '" + name + "'"));
            } else if (!names.add(name)) {
                errors.add(new LoadError(at, RULE, field + ": " + name + " is named twice"));
            }
            List<String> kinds = new ArrayList<>();
            for (String kind : List.of("slack", "webhook", "githubStatus")) {
                if (entry.has(kind)) {
                    kinds.add(kind);
                }
            }
            if (kinds.size() != 1) {
                errors.add(new LoadError(at, RULE, field + " must be exactly one of slack, webhook or githubStatus"));
                continue;
            }
            Set<String> reasons = new TreeSet<>();
            entry.path("reasons").forEach(r -> reasons.add(r.asText()));
            reasons.stream().filter(r -> !Notification.Reason.known(r)).forEach(r -> errors.add(new LoadError(at, RULE,
                    field + ".reasons: " + r + " is not a reason the daemon sends")));
            String severity = entry.path("severity").asText("info");
            if (!severity.equals("info") && !severity.equals("warning")) {
                errors.add(new LoadError(at, RULE, field + ".severity must be info or warning, found " + severity));
            }
            JsonNode block = entry.get(kinds.get(0));
            NotificationTarget target = switch (kinds.get(0)) {
                case "slack" -> new NotificationTarget(name, Kind.SLACK, "",
                        secret(block, "urlSecret", field + ".slack", at, errors), reasons, severity(severity), at);
                case "webhook" -> new NotificationTarget(name, Kind.WEBHOOK, url(block, field, at, errors),
                        secret(block, "hmacSecret", field + ".webhook", at, errors), reasons, severity(severity), at);
                default -> new NotificationTarget(name, Kind.GITHUB_STATUS, repository(block, field, at, errors),
                        secret(block, "tokenSecret", field + ".githubStatus", at, errors), reasons, severity(severity), at);
            };
            if (errors.size() == before) {
                targets.add(target);
            }
        }
        return targets;
    }

    private static Severity severity(String severity) {
        return severity.equals("warning") ? Severity.WARNING : Severity.INFO;
    }

    private static String secret(JsonNode block, String key, String field, SourceLocation at, List<LoadError> errors) {
        String secret = block.path(key).asText("");
        if (!SECRET.matcher(secret).matches()) {
            errors.add(new LoadError(at, RULE, field + "." + key + " must name a file of the notification secrets "
                    + "folder (lower-case letters, digits, '-' and '.'), found '" + secret + "'"));
        }
        return secret;
    }

    private static String url(JsonNode block, String field, SourceLocation at, List<LoadError> errors) {
        String url = block.path("url").asText("");
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = uri.getHost() != null && LOOPBACK.contains(uri.getHost());
            if (uri.getHost() == null || uri.getUserInfo() != null
                    || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
                errors.add(new LoadError(at, RULE, field + ".webhook.url must be an https:// URL without credentials "
                        + "(http:// only to this host), found '" + url + "'"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new LoadError(at, RULE, field + ".webhook.url is not a URL"));
        }
        return url;
    }

    private static String repository(JsonNode block, String field, SourceLocation at, List<LoadError> errors) {
        String repository = block.path("repository").asText("");
        if (!REPOSITORY.matcher(repository).matches()) {
            errors.add(new LoadError(at, RULE, field + ".githubStatus.repository must be owner/name, found '"
                    + repository + "'"));
        }
        return repository;
    }
}
