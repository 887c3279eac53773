package ai.treum.gitops.core.diff;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a desired object with the live one the way server-side apply sees it. Every field Git
 * declares must have the same value live; every field the daemon's manager owns must still be
 * declared. Fields that neither Git declares nor the daemon owns (API-server defaults, other
 * controllers' fields, status) are never drift. Pure: no client, no clock.
 */
public final class OwnedFieldsDiff {

    /** Metadata that Git may declare; the rest (uid, resourceVersion, managedFields...) is the server's. */
    private static final Set<String> DECLARABLE_METADATA = Set.of("labels", "annotations");

    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    private final String manager;

    public OwnedFieldsDiff(String manager) {
        this.manager = manager;
    }

    /** @param live the object as the cluster has it, or null when it does not exist */
    public ResourceDiff diff(ResourceKey key, ObjectNode desired, ObjectNode live) {
        if (live == null) {
            return new ResourceDiff.Missing(key);
        }
        Optional<FieldSet> owned = ownedFields(live);
        if (owned.isEmpty()) {
            return new ResourceDiff.Unmanaged(key);
        }
        List<FieldDiff> diffs = new ArrayList<>();
        ObjectNode normalized = Normalizer.normalize(desired);
        compareMetadata(normalized.path("metadata"), live.path("metadata"), owned.get().field("metadata"), diffs);
        normalized.fields().forEachRemaining(e -> {
            if (!Set.of("apiVersion", "kind", "metadata", "status").contains(e.getKey())) {
                compareValue(e.getKey(), e.getValue(), live.get(e.getKey()), owned.get().field(e.getKey()), diffs);
            }
        });
        // an owned field the server does not store (a Secret's stringData) is nothing to remove
        for (String field : owned.get().fieldNames()) {
            if (!Set.of("apiVersion", "kind", "metadata", "status").contains(field) && !normalized.has(field)
                    && live.has(field)) {
                diffs.add(new FieldDiff(field, live.get(field), null));
            }
        }
        return diffs.isEmpty() ? new ResourceDiff.InSync(key) : new ResourceDiff.Drifted(key, List.copyOf(diffs));
    }

    /** The fields this daemon's manager owns through server-side apply, if it ever applied the object. */
    public Optional<FieldSet> ownedFields(ObjectNode live) {
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            if (manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())
                    && entry.has("fieldsV1")) {
                return Optional.of(FieldSet.parse(entry.get("fieldsV1")));
            }
        }
        return Optional.empty();
    }

    private void compareMetadata(JsonNode desired, JsonNode live, Optional<FieldSet> owned, List<FieldDiff> diffs) {
        for (String field : DECLARABLE_METADATA) {
            Optional<FieldSet> ownedField = owned.flatMap(o -> o.field(field));
            if (desired.has(field)) {
                compareValue("metadata." + field, desired.get(field), live.get(field), ownedField, diffs);
            } else if (ownedField.isPresent()) {
                compareMap("metadata." + field, EMPTY, live.path(field), ownedField, diffs);
            }
        }
    }

    private void compareValue(String path, JsonNode desired, JsonNode live, Optional<FieldSet> owned,
            List<FieldDiff> diffs) {
        if (live == null || live.isNull() || live.isMissingNode()) {
            if (!isEmptyValue(desired)) {
                diffs.add(new FieldDiff(path, null, desired));
            }
        } else if (desired.isObject() && live.isObject()) {
            compareMap(path, (ObjectNode) desired, live, owned, diffs);
        } else if (desired.isArray() && live.isArray()) {
            compareList(path, (ArrayNode) desired, (ArrayNode) live, owned, diffs);
        } else if (!scalarEquals(desired, live)
                && !(isQuantityPath(path) && sameQuantity(desired.asText(), live.asText()))) {
            diffs.add(new FieldDiff(path, live, desired));
        }
    }

    private void compareMap(String path, ObjectNode desired, JsonNode live, Optional<FieldSet> owned,
            List<FieldDiff> diffs) {
        desired.fields().forEachRemaining(e -> compareValue(path + "." + e.getKey(), e.getValue(),
                live.get(e.getKey()), owned.flatMap(o -> o.field(e.getKey())), diffs));
        owned.ifPresent(o -> {
            for (String field : o.fieldNames()) {
                if (!desired.has(field) && live.has(field)) {
                    diffs.add(new FieldDiff(path + "." + field, live.get(field), null));
                }
            }
        });
    }

    private void compareList(String path, ArrayNode desired, ArrayNode live, Optional<FieldSet> owned,
            List<FieldDiff> diffs) {
        Map<ObjectNode, FieldSet> keyed = owned.map(FieldSet::keyedItems).orElse(Map.of());
        if (!keyed.isEmpty()) {
            compareKeyedList(path, desired, live, keyed, diffs);
        } else if (owned.isPresent() && owned.get().setValues().iterator().hasNext()) {
            compareSet(path, desired, live, owned.get(), diffs);
        } else if (desired.size() != live.size()) {
            diffs.add(new FieldDiff(path, live, desired));
        } else {
            // an atomic list: items compare positionally; fields the server added inside them are defaults
            for (int i = 0; i < desired.size(); i++) {
                compareValue(path + "[" + i + "]", desired.get(i), live.get(i), Optional.empty(), diffs);
            }
        }
    }

    private void compareKeyedList(String path, ArrayNode desired, ArrayNode live, Map<ObjectNode, FieldSet> keyed,
            List<FieldDiff> diffs) {
        List<String> keyFields = new ArrayList<>();
        keyed.keySet().iterator().next().fieldNames().forEachRemaining(keyFields::add);
        List<ObjectNode> matchedKeys = new ArrayList<>();
        for (JsonNode item : desired) {
            String itemPath = path + itemLabel(item, keyFields);
            JsonNode liveItem = find(live, item, keyFields);
            if (liveItem == null) {
                diffs.add(new FieldDiff(itemPath, null, item));
                continue;
            }
            Optional<ObjectNode> key = keyed.keySet().stream().filter(k -> matches(liveItem, k)).findFirst();
            key.ifPresent(matchedKeys::add);
            compareValue(itemPath, item, liveItem, key.map(keyed::get), diffs);
        }
        keyed.forEach((key, fields) -> {
            if (!matchedKeys.contains(key) && find(live, key, keyFields) != null) {
                diffs.add(new FieldDiff(path + itemLabel(key, keyFields), find(live, key, keyFields), null));
            }
        });
    }

    private void compareSet(String path, ArrayNode desired, ArrayNode live, FieldSet owned, List<FieldDiff> diffs) {
        for (JsonNode value : desired) {
            if (!contains(live, value)) {
                diffs.add(new FieldDiff(path, live, desired));
                return;
            }
        }
        for (JsonNode value : owned.setValues()) {
            if (!contains(desired, value) && contains(live, value)) {
                diffs.add(new FieldDiff(path, live, desired));
                return;
            }
        }
    }

    /** The live item whose key fields equal those the desired item declares (a missing one, like a defaulted protocol, matches any). */
    private static JsonNode find(ArrayNode live, JsonNode item, List<String> keyFields) {
        for (JsonNode candidate : live) {
            boolean same = true;
            for (String field : keyFields) {
                if (item.has(field) && !scalarEquals(item.get(field), candidate.path(field))) {
                    same = false;
                }
            }
            if (same) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean matches(JsonNode liveItem, ObjectNode key) {
        Iterator<Map.Entry<String, JsonNode>> fields = key.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!scalarEquals(field.getValue(), liveItem.path(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (item.equals(value) || item.isValueNode() && scalarEquals(item, value)) {
                return true;
            }
        }
        return false;
    }

    private static String itemLabel(JsonNode item, List<String> keyFields) {
        List<String> parts = new ArrayList<>();
        for (String field : keyFields) {
            if (item.has(field)) {
                parts.add(field + "=" + item.get(field).asText());
            }
        }
        return "[" + String.join(",", parts) + "]";
    }

    private static boolean isEmptyValue(JsonNode value) {
        return value.isNull() || (value.isContainerNode() && value.isEmpty());
    }

    /** Equal as the API server means it: 8000 and "8000" alike, "500m" and "0.5" alike. */
    static boolean scalarEquals(JsonNode desired, JsonNode live) {
        if (desired.equals(live)) {
            return true;
        }
        if (!desired.isValueNode() || !live.isValueNode() || desired.isBoolean() != live.isBoolean()) {
            return false;
        }
        String a = desired.asText();
        String b = live.asText();
        if (a.equals(b)) {
            return true;
        }
        return desired.isNumber() && live.isNumber() && new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    }

    /** Resource amounts, which the API server rewrites in canonical form ("1000m" becomes "1"). */
    private static boolean isQuantityPath(String path) {
        return path.contains("resources.") || path.contains(".capacity.") || path.contains(".hard.");
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.getAmountInBytes(new Quantity(a)).compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }
}
