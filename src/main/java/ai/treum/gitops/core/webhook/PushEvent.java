package ai.treum.gitops.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a push says: its branch and the paths its commits touched (GitHub, GitLab and the generic
 * format share {@code ref} and {@code commits[].added|modified|removed}; the generic one may list
 * {@code paths} directly). Pure.
 */
public record PushEvent(String ref, Set<String> paths, boolean complete) {

    /** @throws IllegalArgumentException when the payload has no ref */
    public static PushEvent of(JsonNode payload) {
        String ref = payload.path("ref").asText(null);
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("the push has no ref");
        }
        Set<String> paths = new TreeSet<>();
        for (JsonNode commit : payload.path("commits")) {
            for (String field : new String[] {"added", "modified", "removed"}) {
                commit.path(field).forEach(p -> paths.add(p.asText()));
            }
        }
        payload.path("paths").forEach(p -> paths.add(p.asText()));
        // GitHub lists at most 20 commits and GitLab 20; beyond that the paths are partial
        int listed = payload.path("commits").size();
        int total = payload.path("total_commits_count").asInt(payload.path("size").asInt(listed));
        return new PushEvent(ref, paths, total <= listed);
    }

    /** The environments whose folders the push touched. */
    public Set<String> environments(String environmentsPath) {
        String prefix = environmentsPath.replaceAll("/+$", "") + "/";
        Set<String> environments = new TreeSet<>();
        for (String path : paths) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    environments.add(rest.substring(0, slash));
                }
            }
        }
        return environments;
    }
}
