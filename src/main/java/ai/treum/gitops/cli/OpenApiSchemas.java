package ai.treum.gitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The Kubernetes OpenAPI v3 schemas of the core groups, shipped with the project
 * (scripts/update-openapi.sh), and a check of an object against the schema of its kind: unknown
 * fields, wrong types, missing required fields. Kinds without a shipped schema are not checked
 * here; the loader has already checked their structure.
 */
final class OpenApiSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF = "#/components/schemas/";

    private final Map<String, JsonNode> components = new HashMap<>();
    private final Map<String, JsonNode> byKind = new HashMap<>();

    private OpenApiSchemas() {
    }

    static OpenApiSchemas shipped() {
        OpenApiSchemas schemas = new OpenApiSchemas();
        try {
            for (String name : resource("index.txt").lines().filter(l -> l.endsWith(".json.gz")).toList()) {
                schemas.add(JSON.readTree(resource(name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped OpenAPI documents cannot be read", e);
        }
        return schemas;
    }

    /** Each problem as {@code path: what is wrong}; empty when the object fits, or its kind has no schema. */
    Optional<List<String>> check(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        JsonNode schema = byKind.get(group + "/" + version + "/" + object.path("kind").asText());
        if (schema == null) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        check(object, schema, "", problems);
        return Optional.of(problems);
    }

    private void add(JsonNode document) {
        document.path("components").path("schemas").fields().forEachRemaining(e -> {
            components.put(e.getKey(), e.getValue());
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                byKind.put(gvk.path("group").asText() + "/" + gvk.path("version").asText() + "/" + gvk.path("kind").asText(),
                        e.getValue());
            }
        });
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        schema = resolve(schema);
        if (value.isNull() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            for (JsonNode option : schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf")) {
                List<String> attempt = new ArrayList<>();
                check(value, option, path, attempt);
                if (attempt.isEmpty()) {
                    return;
                }
            }
            problems.add(where(path) + "has the wrong type (" + type(value) + ")");
            return;
        }
        String expected = schema.path("type").asText("");
        switch (expected) {
            case "object" -> checkObject(value, schema, path, problems);
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where(path) + "must be a list, is " + type(value));
                } else if (schema.has("items")) {
                    for (int i = 0; i < value.size(); i++) {
                        check(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
                    }
                }
            }
            case "string" -> require(value.isTextual(), "a string", value, path, problems);
            case "integer" -> require(value.isIntegralNumber(), "an integer", value, path, problems);
            case "number" -> require(value.isNumber(), "a number", value, path, problems);
            case "boolean" -> require(value.isBoolean(), "true or false", value, path, problems);
            default -> {
                // no type: anything goes
            }
        }
    }

    private void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (!value.isObject()) {
            problems.add(where(path) + "must be a mapping, is " + type(value));
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), child, problems);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, child, problems);
            } else if (!properties.isEmpty()) {
                problems.add(child + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add((path.isEmpty() ? "" : path + ".") + required.asText() + ": required field is missing");
            }
        }
    }

    /** Follows {@code $ref}, also when wrapped as {@code allOf: [{$ref}]} beside a description or default. */
    private JsonNode resolve(JsonNode schema) {
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

    private static void require(boolean ok, String what, JsonNode value, String path, List<String> problems) {
        if (!ok) {
            // never the value itself: it may be a Secret's
            problems.add(where(path) + "must be " + what + ", is " + type(value));
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String type(JsonNode value) {
        return value.getNodeType().name().toLowerCase();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenApiSchemas.class.getResourceAsStream("/openapi/" + name)) {
            if (in == null) {
                throw new IOException("/openapi/" + name + " is not on the classpath");
            }
            byte[] bytes = name.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
