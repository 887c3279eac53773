package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.port.AdmittedObjects;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Objects as the API server presents them, from a server-side apply with {@code dryRun=All}: the
 * defaults it sets in code (a probe's thresholds, a CronJob's concurrencyPolicy) included. One
 * request per object the first time it is seen as it is; answers are kept for the last
 * {@value #KEPT} objects, so an unchanged revision asks nothing. An object the server could not
 * answer for (its namespace not there yet) is asked again next time.
 */
public class DryRunAdmittedObjects implements AdmittedObjects {

    private static final int KEPT = 10_000;
    private static final SourceLocation ASKED = new SourceLocation("(policy defaults)", 1);

    private final KubernetesCluster cluster;
    private final Map<JsonNode, Optional<JsonNode>> answers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, Optional<JsonNode>> eldest) {
            return size() > KEPT;
        }
    };

    public DryRunAdmittedObjects(KubernetesCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Optional<JsonNode> admitted(String environment, JsonNode object) {
        synchronized (answers) {
            Optional<JsonNode> known = answers.get(object);
            if (known != null) {
                return known;
            }
        }
        Optional<JsonNode> answer = ask(object);
        if (answer.isPresent()) {
            synchronized (answers) {
                answers.put(object.deepCopy(), answer);
            }
        }
        return answer;
    }

    private Optional<JsonNode> ask(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        JsonNode metadata = object.path("metadata");
        ResourceKey key = ResourceKey.of(apiVersion, object.path("kind").asText(), metadata.path("namespace").asText(null),
                metadata.path("name").asText());
        KubernetesCluster.DryRun dry = cluster.dryRunApply(new DesiredResource(key, apiVersion, (ObjectNode) object, ASKED),
                true);
        return Optional.ofNullable(dry.result());
    }
}
