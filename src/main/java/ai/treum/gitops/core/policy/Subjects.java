package ai.treum.gitops.core.policy;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.GroupKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.Pluralize;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Turns a revision's objects into admission subjects. Every object is admitted as a CREATE, as in
 * a pull request nothing is known of the cluster. A namespace's labels are those the revision
 * declares for it, plus {@code kubernetes.io/metadata.name}, which the API server sets on every one.
 */
public final class Subjects {

    private Subjects() {
    }

    /** The objects as Git declares them, with nothing the API server would add. */
    public static List<Subject> of(List<DesiredResource> resources) {
        return of(resources, UnaryOperator.identity());
    }

    /**
     * @param presented what the API server would make of an object's body before admission (its
     *                  defaults): applied to the copy the policies see, never to what is applied
     */
    public static List<Subject> of(List<DesiredResource> resources, UnaryOperator<JsonNode> presented) {
        return of(resources, presented(resources, presented));
    }

    /** Each object's body as admission sees it, in the order of {@code resources}. */
    public static List<JsonNode> presented(List<DesiredResource> resources, UnaryOperator<JsonNode> presented) {
        return resources.stream().map(r -> presented.apply(admitted(r))).toList();
    }

    /** @param bodies each object's body as admission sees it ({@link #presented}), in the order of {@code resources} */
    public static List<Subject> of(List<DesiredResource> resources, List<JsonNode> bodies) {
        Map<GroupKind, String> plurals = new HashMap<>();
        resources.stream().filter(r -> r.key().kind().equals("CustomResourceDefinition"))
                .forEach(crd -> plurals.put(GroupKind.definedBy(crd.body()),
                        crd.body().path("spec").path("names").path("plural").asText()));
        Map<String, Map<String, Object>> namespaces = new HashMap<>();
        resources.stream().filter(r -> r.key().kind().equals("Namespace") && r.key().group().isEmpty())
                .forEach(r -> namespaces.put(r.key().name(), CelValues.map(CelValues.of(r.body()))));
        return IntStream.range(0, resources.size()).mapToObj(i -> {
            DesiredResource r = resources.get(i);
            Map<String, Object> body = CelValues.map(CelValues.of(bodies.get(i)));
            // a kind's plural once per check, not once per object: the English rules are regular expressions
            String plural = plurals.computeIfAbsent(r.key().groupKind(), k -> plural(r.key().kind()));
            Map<String, Object> namespace = null;
            Map<String, String> namespaceLabels = Map.of();
            if (r.key().namespace() != null) {
                namespace = namespaces.getOrDefault(r.key().namespace(),
                        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", r.key().namespace())));
                namespaceLabels = withName(labels(namespace), r.key().namespace());
            }
            Map<String, String> labels = labels(body);
            if (r.key().kind().equals("Namespace")) {
                labels = withName(labels, r.key().name());
            }
            return new Subject(r.key(), r.apiVersion(), plural, "CREATE", r.source(), body, labels, namespace,
                    namespaceLabels);
        }).toList();
    }

    /**
     * The body as the API server would hand it to admission: with its namespace filled in, and,
     * for a Pod, with requests defaulted to limits where only limits are given.
     */
    private static JsonNode admitted(DesiredResource r) {
        boolean pod = r.key().kind().equals("Pod") && r.key().group().isEmpty();
        boolean unnamespaced = r.key().namespace() != null && !r.body().path("metadata").has("namespace");
        if (!pod && !unnamespaced) {
            return r.body();
        }
        ObjectNode body = r.body().deepCopy();
        if (unnamespaced) {
            body.withObjectProperty("metadata").put("namespace", r.key().namespace());
        }
        if (pod) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode container : body.path("spec").path(list)) {
                    JsonNode limits = container.path("resources").path("limits");
                    if (limits.isObject() && container instanceof ObjectNode c) {
                        ObjectNode requests = c.withObjectProperty("resources").withObjectProperty("requests");
                        limits.fields().forEachRemaining(e -> {
                            if (!requests.has(e.getKey())) {
                                requests.set(e.getKey(), e.getValue());
                            }
                        });
                    }
                }
            }
        }
        return body;
    }

    /** The resource name of a kind, as discovery would give it: {@code NetworkPolicy} → {@code networkpolicies}. */
    static String plural(String kind) {
        return Pluralize.toPlural(kind.toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> labels(Map<String, Object> body) {
        return CelValues.strings(CelValues.map(body.get("metadata")).get("labels"));
    }

    private static Map<String, String> withName(Map<String, String> labels, String name) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("kubernetes.io/metadata.name", name);
        return all;
    }
}
