package ai.treum.gitops.core.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields one manager owns in an object, read from a {@code managedFields[].fieldsV1} tree.
 * Keys are {@code f:<field>}, {@code k:<json of key fields>} for an item of a keyed list,
 * {@code v:<json value>} for an item of a set and {@code i:<index>}; {@code .} marks an item
 * owned as a whole. A node without children is owned atomically, with everything below it.
 */
public final class FieldSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FieldSet> children;

    private FieldSet(Map<String, FieldSet> children) {
        this.children = children;
    }

    public static FieldSet parse(JsonNode fieldsV1) {
        Map<String, FieldSet> children = new LinkedHashMap<>();
        fieldsV1.fields().forEachRemaining(e -> children.put(e.getKey(), parse(e.getValue())));
        return new FieldSet(children);
    }

    public Optional<FieldSet> field(String name) {
        return Optional.ofNullable(children.get("f:" + name));
    }

    /** The owned fields of a map, without the {@code f:} prefix. */
    public Iterable<String> fieldNames() {
        return children.keySet().stream().filter(k -> k.startsWith("f:")).map(k -> k.substring(2)).toList();
    }

    /** The key objects of the owned items of a keyed list, each with its own owned fields. */
    public Map<ObjectNode, FieldSet> keyedItems() {
        Map<ObjectNode, FieldSet> items = new LinkedHashMap<>();
        children.forEach((k, v) -> {
            if (k.startsWith("k:")) {
                items.put((ObjectNode) readJson(k.substring(2)), v);
            }
        });
        return items;
    }

    /** The owned values of a set-like list. */
    public Iterable<JsonNode> setValues() {
        return children.keySet().stream().filter(k -> k.startsWith("v:")).map(k -> readJson(k.substring(2))).toList();
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("malformed fieldsV1 key: " + text, e);
        }
    }
}
