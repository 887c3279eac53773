package ai.treum.gitops.cli;

import ai.treum.gitops.core.schema.OpenApi;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes OpenAPI v3 schemas of the core groups, shipped with the project
 * (scripts/update-openapi.sh), and a check of an object against the schema of its kind: unknown
 * fields, wrong types, missing required fields. Kinds without a shipped schema are not checked
 * here; the loader has already checked their structure.
 */
final class OpenApiSchemas {

    private final OpenApi documents;

    private OpenApiSchemas(OpenApi documents) {
        this.documents = documents;
    }

    static OpenApiSchemas shipped() {
        return new OpenApiSchemas(OpenApi.shipped());
    }

    /** Each problem as {@code path: what is wrong}; empty when the object fits, or its kind has no schema. */
    Optional<List<String>> check(JsonNode object) {
        return documents.schemaOf(object).map(schema -> {
            List<String> problems = new ArrayList<>();
            check(object, schema, "", problems);
            return problems;
        });
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        schema = documents.resolve(schema);
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
}
