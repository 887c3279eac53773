package ai.treum.gitops.core.alerts;

import ai.treum.gitops.core.policy.LabelSelector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Whether a Prometheus of prometheus-operator loads a PrometheusRule: its {@code ruleSelector}
 * must match the rule's labels (absent selects none, empty selects all) and its
 * {@code ruleNamespaceSelector} the rule's namespace (absent: the Prometheus' own namespace only,
 * empty: every namespace). Pure.
 */
public final class RuleSelection {

    private RuleSelection() {
    }

    /**
     * @param prometheuses the Prometheus objects of the cluster
     * @return the names ({@code namespace/name}) of those that select the rule
     */
    public static List<String> selecting(Map<String, String> ruleLabels, String ruleNamespace,
            Map<String, String> namespaceLabels, List<JsonNode> prometheuses) {
        return prometheuses.stream().filter(p -> selects(p, ruleLabels, ruleNamespace, namespaceLabels))
                .map(p -> p.path("metadata").path("namespace").asText() + "/" + p.path("metadata").path("name").asText())
                .toList();
    }

    private static boolean selects(JsonNode prometheus, Map<String, String> ruleLabels, String ruleNamespace,
            Map<String, String> namespaceLabels) {
        JsonNode spec = prometheus.path("spec");
        if (!spec.path("ruleSelector").isObject() || !LabelSelector.of(spec.path("ruleSelector")).matches(ruleLabels)) {
            return false;
        }
        JsonNode namespaces = spec.path("ruleNamespaceSelector");
        return namespaces.isObject() ? LabelSelector.of(namespaces).matches(namespaceLabels)
                : ruleNamespace.equals(prometheus.path("metadata").path("namespace").asText());
    }
}
