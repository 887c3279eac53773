package ai.treum.gitops.core.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.List;

/**
 * An environment's live managed objects as multi-document YAML that {@code kubectl apply} takes
 * back: what the server filled in about its own bookkeeping (status, managed fields, resource
 * version, uid, timestamps, generation) left out, and Secrets never written. Pure.
 */
public final class StateExport {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion", "uid",
            "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

    private StateExport() {
    }

    public static String yaml(List<ObjectNode> live) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode object : live) {
            if ("Secret".equals(object.path("kind").asText()) && "v1".equals(object.path("apiVersion").asText())) {
                continue;
            }
            ObjectNode copy = object.deepCopy();
            copy.remove("status");
            ObjectNode metadata = copy.with("metadata");
            SERVER_METADATA.forEach(metadata::remove);
            if (metadata.path("annotations").isObject()) {
                ((ObjectNode) metadata.get("annotations")).remove("kubectl.kubernetes.io/last-applied-configuration");
            }
            try {
                out.append(YAML.writeValueAsString(copy));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a live object cannot fail to print", e);
            }
        }
        return out.toString();
    }
}
