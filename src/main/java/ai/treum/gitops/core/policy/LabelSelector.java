package ai.treum.gitops.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector: matchLabels and matchExpressions, all of which must hold. */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    /** The selector a {@code matchLabels}/{@code matchExpressions} object states; an empty one selects everything. */
    public static LabelSelector of(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        node.path("matchLabels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<Requirement> requirements = new ArrayList<>();
        for (JsonNode r : node.path("matchExpressions")) {
            Set<String> values = new LinkedHashSet<>();
            r.path("values").forEach(v -> values.add(v.asText()));
            requirements.add(new Requirement(r.path("key").asText(), r.path("operator").asText(), values));
        }
        return new LabelSelector(labels, requirements);
    }

    public boolean matches(Map<String, String> labels) {
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                && matchExpressions.stream().allMatch(r -> r.matches(labels));
    }

    /** One matchExpression: In, NotIn, Exists or DoesNotExist. */
    public record Requirement(String key, String operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
        }
    }
}
