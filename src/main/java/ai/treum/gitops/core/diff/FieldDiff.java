package ai.treum.gitops.core.diff;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One difference at one path: what the cluster has (null when absent) and what Git wants (null
 * when Git no longer declares a field the daemon owns, so the next apply removes it).
 */
public record FieldDiff(String path, JsonNode live, JsonNode desired) {
}
