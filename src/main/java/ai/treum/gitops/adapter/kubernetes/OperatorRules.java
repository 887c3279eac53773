package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.alerts.AlertRules;
import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.core.alerts.RuleSelection;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.RuleInstaller;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PrometheusRule objects for prometheus-operator: applied under the daemon's field manager,
 * those of the environment no longer listed deleted, and a warning for each rule no Prometheus
 * object's {@code ruleSelector} and {@code ruleNamespaceSelector} pick, which the operator would
 * leave out silently.
 */
public class OperatorRules implements RuleInstaller {

    private final KubernetesClient client;
    private final ClusterApplier applier;

    OperatorRules(KubernetesClient client, ClusterApplier applier) {
        this.client = client;
        this.applier = applier;
    }

    @Override
    public Installed install(String environment, String namespace, List<RuleFile> files) {
        List<String> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<JsonNode> prometheuses = prometheuses(warnings);
        for (RuleFile file : files) {
            DesiredResource rule = Ownership.stamp(file.source(), environment);
            ChangeEntry applied = applier.apply(rule, true);
            if (applied.action().failed()) {
                problems.add(applied.toString());
                continue;
            }
            loaded.addAll(file.groups());
            if (RuleSelection.selecting(labels(rule.body().path("metadata").path("labels")), rule.key().namespace(),
                    namespaceLabels(rule.key().namespace()), prometheuses).isEmpty()) {
                warnings.add(rule.key() + ": no Prometheus selects it (ruleSelector, ruleNamespaceSelector), so no "
                        + "Prometheus evaluates its groups");
            }
        }
        Set<ResourceKey> wanted = files.stream().map(f -> Ownership.stamp(f.source(), environment).key())
                .collect(Collectors.toSet());
        for (GenericKubernetesResource old : client.genericKubernetesResources(AlertRules.API_VERSION, AlertRules.KIND)
                .inAnyNamespace().withLabel(Ownership.ENVIRONMENT_LABEL, environment)
                .withLabel(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).list().getItems()) {
            ResourceKey key = ResourceKey.of(AlertRules.API_VERSION, AlertRules.KIND, old.getMetadata().getNamespace(),
                    old.getMetadata().getName());
            if (!wanted.contains(key)) {
                ChangeEntry deleted = applier.delete(new InventoryEntry(key, AlertRules.API_VERSION), environment);
                if (deleted.action().failed()) {
                    problems.add(deleted.toString());
                }
            }
        }
        return new Installed("PrometheusRule objects for prometheus-operator", loaded, problems, warnings);
    }

    private List<JsonNode> prometheuses(List<String> warnings) {
        try {
            return client.genericKubernetesResources(AlertRules.API_VERSION, "Prometheus").inAnyNamespace().list()
                    .getItems().stream().map(p -> (JsonNode) client.getKubernetesSerialization().convertValue(p, JsonNode.class))
                    .toList();
        } catch (KubernetesClientException e) {
            warnings.add("Prometheus objects cannot be listed (" + e.getCode() + "), so whether one selects the rules "
                    + "is unknown");
            return List.of();
        }
    }

    private Map<String, String> namespaceLabels(String namespace) {
        Namespace found = client.namespaces().withName(namespace).get();
        return found == null || found.getMetadata().getLabels() == null ? Map.of("kubernetes.io/metadata.name", namespace)
                : found.getMetadata().getLabels();
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
