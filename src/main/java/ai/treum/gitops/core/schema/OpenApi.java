package ai.treum.gitops.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The Kubernetes OpenAPI v3 documents of the core groups, shipped with the project
 * (scripts/update-openapi.sh): each kind's schema, and the object as the API server would present
 * it to admission, with the defaults the documents declare filled in. Pure once read.
 */
public final class OpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF = "#/components/schemas/";

    private final Map<String, JsonNode> components = new HashMap<>();
    private final Map<String, JsonNode> byKind = new HashMap<>();

    private OpenApi(List<JsonNode> documents) {
        for (JsonNode document : documents) {
            document.path("components").path("schemas").fields().forEachRemaining(e -> {
                components.put(e.getKey(), e.getValue());
                for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                    byKind.put(gvk.path("group").asText() + "/" + gvk.path("version").asText() + "/"
                            + gvk.path("kind").asText(), e.getValue());
                }
            });
        }
    }

    private static final class Shipped {
        static final OpenApi DOCUMENTS = read();

        private static OpenApi read() {
            try {
                List<JsonNode> documents = new ArrayList<>();
                for (String name : resource("index.txt").lines().filter(l -> l.endsWith(".json.gz")).toList()) {
                    documents.add(JSON.readTree(resource(name)));
                }
                return new OpenApi(documents);
            } catch (IOException e) {
                throw new UncheckedIOException("the shipped OpenAPI documents cannot be read", e);
            }
        }
    }

    /** The shipped documents, read once. */
    public static OpenApi shipped() {
        return Shipped.DOCUMENTS;
    }

    /** The schema of the object's apiVersion and kind; empty for a kind the documents do not have. */
    public Optional<JsonNode> schemaOf(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return Optional.ofNullable(byKind.get(group + "/" + version + "/" + object.path("kind").asText()));
    }

    /** Follows {@code $ref}, also when wrapped as {@code allOf: [{$ref}]} beside a description or default. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 8; i++) {
            if (current.has("$ref")) {
                current = components.getOrDefault(current.get("$ref").asText().replace(REF, ""), JSON.createObjectNode());
            } else if (current.has("allOf") && current.get("allOf").size() == 1 && !current.has("type")) {
                current = current.get("allOf").get(0);
            } else {
                return current;
            }
        }
        return current;
    }

    /**
     * A copy of the object as the API server hands it to admission, as far as the documents say:
     * an absent field whose schema declares {@code default: {}} (a struct the server always
     * serialises, such as a container's {@code resources}) or a default other than a zero value
     * (a port's {@code protocol: TCP}) is filled in, at any depth. Zero-value defaults are left
     * out: the server omits such fields when they are empty. The object itself is never changed.
     */
    public JsonNode presented(JsonNode object) {
        Optional<JsonNode> schema = schemaOf(object);
        if (schema.isEmpty()) {
            return object;
        }
        JsonNode copy = object.deepCopy();
        fill(copy, schema.get(), 0);
        return copy;
    }

    private void fill(JsonNode value, JsonNode schema, int depth) {
        if (depth > 32) {
            return;
        }
        JsonNode resolved = resolve(schema);
        if (value.isArray() && resolved.has("items")) {
            value.forEach(item -> fill(item, resolved.get("items"), depth + 1));
        }
        if (!value.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) value;
        resolved.path("properties").fields().forEachRemaining(property -> {
            JsonNode declared = property.getValue().get("default");
            if (!object.has(property.getKey()) && declared != null && !zero(declared)) {
                object.set(property.getKey(), declared.deepCopy());
            }
            if (object.has(property.getKey())) {
                fill(object.get(property.getKey()), property.getValue(), depth + 1);
            }
        });
    }

    private static boolean zero(JsonNode value) {
        return value.isTextual() && value.asText().isEmpty() || value.isNumber() && value.asDouble() == 0
                || value.isBoolean() && !value.asBoolean();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi/" + name)) {
            if (in == null) {
                throw new IOException("/openapi/" + name + " is not on the classpath");
            }
            byte[] bytes = name.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
