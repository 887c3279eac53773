package ai.treum.gitops.core.network;

import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An object that runs pods: its pod template as an endpoint, and the needs it declares. Pure. */
record Workload(DesiredResource object, Endpoint pods, List<String> needs) {

    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    static Optional<Workload> of(DesiredResource object, Map<String, Map<String, String>> namespaceLabels) {
        String kind = object.key().kind();
        JsonNode template;
        if (TEMPLATED.contains(kind)) {
            template = object.body().path("spec").path("template");
        } else if (kind.equals("CronJob")) {
            template = object.body().path("spec").path("jobTemplate").path("spec").path("template");
        } else if (kind.equals("Pod")) {
            template = object.body();
        } else {
            return Optional.empty();
        }
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
        return Optional.of(new Workload(object, new Endpoint(false, namespace,
                NetworkReachability.labels(template.path("metadata").path("labels")), nsLabels, ports), needs));
    }
}
