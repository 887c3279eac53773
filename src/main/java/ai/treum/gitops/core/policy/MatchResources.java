package ai.treum.gitops.core.policy;

import java.util.List;
import java.util.Set;

/**
 * Which objects a policy or binding applies to, by API group, version, resource, operation and
 * scope, and by the labels of the object and of its namespace, as the API server decides it.
 *
 * @param resourceRules empty means any resource
 */
public record MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector,
        List<ResourceRule> resourceRules, List<ResourceRule> excludeResourceRules) {

    public boolean matches(Subject subject) {
        if (!objectSelector.matches(subject.labels())) {
            return false;
        }
        // a Namespace is selected by its own labels; other cluster-scoped objects by none
        if (subject.key().kind().equals("Namespace")) {
            if (!namespaceSelector.matches(subject.labels())) {
                return false;
            }
        } else if (subject.namespaced() && !namespaceSelector.matches(subject.namespaceLabels())) {
            return false;
        }
        return (resourceRules.isEmpty() || resourceRules.stream().anyMatch(r -> r.matches(subject)))
                && excludeResourceRules.stream().noneMatch(r -> r.matches(subject));
    }

    /** One rule; {@code *} matches anything, {@code *}{@code /*} also subresources (never an object). */
    public record ResourceRule(Set<String> apiGroups, Set<String> apiVersions, Set<String> resources,
            Set<String> operations, String scope, Set<String> resourceNames) {

        boolean matches(Subject subject) {
            return any(apiGroups, subject.key().group()) && any(apiVersions, subject.version())
                    && (resources.contains("*") || resources.contains("*/*") || resources.contains(subject.resource()))
                    && any(operations, subject.operation())
                    && ("*".equals(scope) || scope.equals(subject.namespaced() ? "Namespaced" : "Cluster"))
                    && (resourceNames.isEmpty() || resourceNames.contains(subject.key().name()));
        }

        private static boolean any(Set<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }
    }
}
