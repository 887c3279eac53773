package ai.treum.gitops.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Hands server-side apply ownership from one field manager to another without touching a value:
 * the live object's {@code metadata.managedFields} with the old manager's Apply entries renamed,
 * merged into the new manager's entry of the same apiVersion where one exists. Pure; the caller
 * writes the list back with a resourceVersion precondition.
 */
public final class ManagedFields {

    private ManagedFields() {
    }

    /** Whether {@code manager} owns fields of the live object through server-side apply. */
    public static boolean appliedBy(JsonNode live, String manager) {
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The managedFields with {@code from}'s Apply entries given to {@code to}; empty when {@code from} applied nothing. */
    public static Optional<ArrayNode> handedOver(JsonNode live, String from, String to) {
        if (!appliedBy(live, from)) {
            return Optional.empty();
        }
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (!isApplyOf(entry, from)) {
                result.add(entry.deepCopy());
            }
        }
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (isApplyOf(entry, from)) {
                ObjectNode same = sameSlot(result, entry, to);
                if (same == null) {
                    result.add(((ObjectNode) entry.deepCopy()).put("manager", to));
                } else {
                    union((ObjectNode) same.with("fieldsV1"), entry.path("fieldsV1"));
                }
            }
        }
        return Optional.of(result);
    }

    private static boolean isApplyOf(JsonNode entry, String manager) {
        return manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText());
    }

    /** The new manager's Apply entry for the same apiVersion and subresource, or null. */
    private static ObjectNode sameSlot(ArrayNode entries, JsonNode entry, String manager) {
        for (JsonNode candidate : entries) {
            if (isApplyOf(candidate, manager)
                    && candidate.path("apiVersion").asText().equals(entry.path("apiVersion").asText())
                    && candidate.path("subresource").asText().equals(entry.path("subresource").asText())) {
                return (ObjectNode) candidate;
            }
        }
        return null;
    }

    /** fieldsV1 is a tree of nested objects; the union of two is the union of their keys, recursively. */
    private static void union(ObjectNode into, JsonNode from) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                union(object, field.getValue());
            } else if (existing == null) {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
