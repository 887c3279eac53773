package ai.treum.gitops.core.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Rewrites a desired object into the form the API server stores, so equal things compare equal. */
final class Normalizer {

    private Normalizer() {
    }

    static ObjectNode normalize(ObjectNode desired) {
        ObjectNode copy = desired.deepCopy();
        copy.remove("status");
        if ("Secret".equals(copy.path("kind").asText()) && "v1".equals(copy.path("apiVersion").asText())
                && copy.has("stringData")) {
            // the server folds stringData into data, base64-encoded, and never stores stringData
            ObjectNode data = copy.has("data") ? (ObjectNode) copy.get("data") : copy.putObject("data");
            JsonNode stringData = copy.remove("stringData");
            stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
        return copy;
    }
}
