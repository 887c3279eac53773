package ai.treum.gitops.core.network;

import ai.treum.gitops.core.load.PodTemplates;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An object that runs pods: its pod template as an endpoint, and the needs it declares. Pure. */
record Workload(DesiredResource object, Endpoint pods, List<String> needs) {

    static Optional<Workload> of(DesiredResource object, Map<String, Map<String, String>> namespaceLabels) {
        return PodTemplates.of(object).map(template -> of(object, template, namespaceLabels));
    }

    private static Workload of(DesiredResource object, JsonNode template, Map<String, Map<String, String>> namespaceLabels) {
        String namespace = object.key().namespace();
        Map<String, String> nsLabels = new HashMap<>(namespaceLabels.getOrDefault(namespace, Map.of()));
        nsLabels.put("kubernetes.io/metadata.name", namespace);
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode container : template.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (port.hasNonNull("name")) {
                    ports.put(port.path("name").asText(), port.path("containerPort").asInt());
                }
            }
        }
        String declared = object.body().path("metadata").path("annotations").path(NetworkReachability.NEEDS).asText("");
        List<String> needs = Arrays.stream(declared.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        return new Workload(object, new Endpoint(false, namespace,
                NetworkReachability.labels(template.path("metadata").path("labels")), nsLabels, ports), needs);
    }
}
