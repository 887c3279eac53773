package ai.treum.gitops.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A kind of object and its API group, without a version: {@code apps/Deployment}, and
 * {@code /ConfigMap} for the core group. What tables by kind are keyed by.
 */
public record GroupKind(String group, String kind) {

    public GroupKind {
        group = group == null ? "" : group;
    }

    /** {@code apps/Deployment}, or {@code /ConfigMap} in the core group. */
    public static GroupKind parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not group/kind: " + text);
        }
        return new GroupKind(text.substring(0, slash), text.substring(slash + 1));
    }

    /** The kind a CustomResourceDefinition's body defines. */
    public static GroupKind definedBy(JsonNode crd) {
        return new GroupKind(crd.path("spec").path("group").asText(), crd.path("spec").path("names").path("kind").asText());
    }

    /** A set of kinds written as {@code group/Kind}. */
    public static Set<GroupKind> setOf(String... kinds) {
        return Arrays.stream(kinds).map(GroupKind::parse).collect(Collectors.toUnmodifiableSet());
    }

    /** A table by kind whose keys are written as {@code group/Kind}. */
    public static <V> Map<GroupKind, V> keyed(Map<String, V> byText) {
        return byText.entrySet().stream().collect(Collectors.toUnmodifiableMap(e -> parse(e.getKey()), Map.Entry::getValue));
    }

    @Override
    public String toString() {
        return group + "/" + kind;
    }
}
