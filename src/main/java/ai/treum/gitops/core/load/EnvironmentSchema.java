package ai.treum.gitops.core.load;

import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields an environment.yaml may have, and their types. A key that is not one of them
 * ({@code selfheal} for {@code selfHeal}) or a value of the wrong type ({@code auto: "yes"}) is
 * an error naming the field and its line, not a default taken in silence. Pure.
 */
final class EnvironmentSchema {

    private enum Type { BOOLEAN, STRING, INTEGER, NUMBER, STRINGS, ANY }

    private static final Map<String, Object> CHECK = Map.of("name", Type.STRING, "query", Type.STRING,
            "max", Type.NUMBER, "min", Type.NUMBER);

    /** Each key of a mapping: its type, or the mapping it holds, or for a list of mappings a one-element list. */
    private static final Map<String, Object> ENVIRONMENT = Map.of(
            "apiVersion", Type.STRING,
            "kind", Type.STRING,
            "metadata", Map.of("name", Type.STRING, "labels", Type.ANY, "annotations", Type.ANY),
            "spec", Map.of(
                    "cluster", Map.of("inCluster", Type.BOOLEAN,
                            "kubeconfigSecret", Map.of("namespace", Type.STRING, "name", Type.STRING, "key", Type.STRING),
                            "eks", Map.of("name", Type.STRING, "region", Type.STRING, "roleArn", Type.STRING)),
                    "namespace", Type.STRING,
                    "namespaces", Type.STRINGS,
                    "clusterScoped", Type.STRINGS,
                    "sync", Map.of("auto", Type.BOOLEAN, "prune", Type.BOOLEAN, "selfHeal", Type.BOOLEAN,
                            "interval", Type.STRING, "allowEmpty", Type.BOOLEAN, "maxPrunePercent", Type.INTEGER),
                    "aws", Map.of("region", Type.STRING, "mode", Type.STRING, "interval", Type.STRING,
                            "applyImmediately", Type.BOOLEAN),
                    "health", List.of(Map.of("kind", Type.STRING, "healthy", Type.STRING, "degraded", Type.STRING)),
                    "notifications", List.of(Map.of("name", Type.STRING, "slack", Map.of("urlSecret", Type.STRING),
                            "webhook", Map.of("url", Type.STRING, "hmacSecret", Type.STRING),
                            "githubStatus", Map.of("repository", Type.STRING, "tokenSecret", Type.STRING),
                            "reasons", Type.STRINGS, "severity", Type.STRING)),
                    "rollout", Map.of(
                            "canary", Map.of("steps", Type.ANY),
                            "blueGreen", Map.of("scaleDownDelay", Type.STRING),
                            "analysis", Map.of("prometheus", Type.STRING, "interval", Type.STRING,
                                    "measurements", Type.INTEGER, "failureLimit", Type.INTEGER,
                                    "checks", List.of(CHECK)),
                            "revertCommit", Type.BOOLEAN),
                    "promotion", Map.of("from", Type.STRING, "healthyFor", Type.STRING, "requireAnalysis", Type.BOOLEAN)));

    private EnvironmentSchema() {
    }

    static List<LoadError> check(SourceFile file, JsonNode document) {
        List<LoadError> errors = new ArrayList<>();
        mapping(file, document, ENVIRONMENT, "", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void mapping(SourceFile file, JsonNode node, Map<String, Object> fields, String path,
            List<LoadError> errors) {
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String field = path + entry.getKey();
            Object expected = fields.get(entry.getKey());
            JsonNode value = entry.getValue();
            if (expected == null) {
                errors.add(error(file, field, "unknown-field", field + " is not a field of an Environment; known here: "
                        + String.join(", ", new java.util.TreeSet<>(fields.keySet()))));
            } else if (expected instanceof Map<?, ?> nested) {
                if (value.isObject()) {
                    mapping(file, value, (Map<String, Object>) nested, field + ".", errors);
                } else if (!value.isNull()) {
                    errors.add(error(file, field, "field-type", field + " must be a mapping"));
                }
            } else if (expected instanceof List<?> items) {
                if (!value.isArray()) {
                    errors.add(error(file, field, "field-type", field + " must be a list"));
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        if (value.get(i).isObject()) {
                            mapping(file, value.get(i), (Map<String, Object>) items.get(0), field + "[" + i + "].", errors);
                        } else {
                            errors.add(error(file, field, "field-type", field + "[" + i + "] must be a mapping"));
                        }
                    }
                }
            } else if (!matches((Type) expected, value)) {
                errors.add(error(file, field, "field-type", field + " must be " + article((Type) expected)
                        + ", found " + value.getNodeType().name().toLowerCase()));
            }
        }
    }

    private static boolean matches(Type type, JsonNode value) {
        return switch (type) {
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case INTEGER -> value.isIntegralNumber() && value.canConvertToInt();
            case NUMBER -> value.isNumber();
            case STRINGS -> value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false)
                    .allMatch(JsonNode::isTextual);
            case ANY -> true;
        };
    }

    private static String article(Type type) {
        return switch (type) {
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case STRINGS -> "a list of strings";
            case ANY -> "anything";
        };
    }

    private static LoadError error(SourceFile file, String field, String rule, String message) {
        return new LoadError(new SourceLocation(file.path(), line(file.content(), field)), rule, message);
    }

    /**
     * The line of a field in block-style YAML: each key of its path found below the previous one.
     * A key in flow style ({@code sync: {auto: true}}) is found on its parent's line.
     */
    static int line(String content, String field) {
        String[] lines = content.split("\n", -1);
        int at = 0;
        for (String key : field.replaceAll("\\[\\d+]", "").split("\\.")) {
            Pattern pattern = Pattern.compile("^\\s*(- )?[\"']?" + Pattern.quote(key) + "[\"']?\\s*:.*");
            for (int i = at; i < lines.length; i++) {
                if (pattern.matcher(lines[i]).matches()) {
                    at = i;
                    break;
                }
            }
        }
        return at + 1;
    }
}
