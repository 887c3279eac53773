package ai.treum.gitops.model;

import java.util.Set;

/**
 * Where an environment's notifications go: one entry of {@code spec.notifications}. Secrets are
 * named, never given: each is a file of that name in the daemon's notification secrets folder.
 *
 * @param kind       Slack incoming webhook, a generic webhook signed with HMAC-SHA256, or GitHub commit statuses
 * @param address    the webhook's URL, or for GitHub the repository {@code owner/name}; empty for Slack (its URL is the secret)
 * @param secret     the file holding the Slack URL, the HMAC key or the GitHub token
 * @param reasons    the reasons sent; empty: every reason
 * @param severity   the least severity sent
 */
public record NotificationTarget(String name, Kind kind, String address, String secret, Set<String> reasons,
        Severity severity, SourceLocation source) {

    public NotificationTarget {
        reasons = Set.copyOf(reasons);
    }

    public enum Kind { SLACK, WEBHOOK, GITHUB_STATUS }

    public enum Severity { INFO, WARNING }
}
