package ai.treum.gitops.cli;

import ai.treum.gitops.core.redact.Redactions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.List;

/**
 * An object as the lines a plan compares: server bookkeeping dropped, Secret values hidden, keys
 * sorted. kubectl's last-applied-configuration annotation goes too: on a Secret applied by
 * {@code kubectl apply} it holds the whole Secret, values and all.
 */
final class ObjectText {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final List<String> BOOKKEEPING = List.of("managedFields", "resourceVersion", "uid",
            "creationTimestamp", "generation", "selfLink");

    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private ObjectText() {
    }

    static List<String> lines(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            BOOKKEEPING.forEach(metadata::remove);
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove(LAST_APPLIED);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        }
        if ("Secret".equals(copy.path("kind").asText()) && "v1".equals(copy.path("apiVersion").asText())) {
            for (String field : List.of("data", "stringData")) {
                if (copy.get(field) instanceof ObjectNode values) {
                    values.fieldNames().forEachRemaining(key -> values.put(key, Redactions.REDACTED));
                }
            }
        }
        try {
            Object sorted = YAML.treeToValue(copy, Object.class);
            return YAML.writeValueAsString(sorted).lines().toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + copy.path("kind").asText(), e);
        }
    }

    /** Whether two Secrets hold different values, which their rendered lines no longer show. */
    static boolean secretValuesDiffer(JsonNode before, JsonNode after) {
        return "Secret".equals(after.path("kind").asText()) && !before.path("data").equals(after.path("data"));
    }
}
