package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.port.HistoryStore;
import ai.treum.gitops.port.InventoryStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Each environment's history as a ConfigMap {@code treum-gitops-history-<environment>} beside its
 * inventory: one JSON array, oldest first, the newest records only. A ConfigMap rather than Git
 * notes: writing notes would need push rights to the desired-state repository, which the daemon
 * needs for nothing else but optional revert commits, and every sync would race people's pushes.
 * Each append reads and applies the array under the version read, again on a conflict.
 */
public class ConfigMapHistoryStore implements HistoryStore {

    static final String KEY = "records.json";
    static final String HISTORY_LABEL = "gitops.treum.ai/history-of";
    private static final String MANAGER = Ownership.FIELD_MANAGER + "/history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final Predicate<String> mayWriteFor;

    public ConfigMapHistoryStore(KubernetesClient client, String namespace, Predicate<String> mayWriteFor) {
        this.client = client;
        this.namespace = namespace;
        this.mayWriteFor = mayWriteFor;
    }

    @Override
    public List<HistoryRecord> read(String environment) {
        return decode(client.configMaps().inNamespace(namespace).withName(name(environment)).get());
    }

    @Override
    public void append(String environment, List<HistoryRecord> records, int keep) {
        for (int attempt = 0; ; attempt++) {
            if (!mayWriteFor.test(environment)) {
                throw new InventoryStore.Conflict("the history of environment " + environment + " not saved: this "
                        + "replica no longer holds the environment's shard");
            }
            ConfigMap now = client.configMaps().inNamespace(namespace).withName(name(environment)).get();
            List<HistoryRecord> all = new ArrayList<>(decode(now));
            all.addAll(records);
            List<HistoryRecord> kept = all.subList(Math.max(0, all.size() - keep), all.size());
            // without the environment label: the environment's informers watch what carries it, and
            // a history write is no change to the environment
            ConfigMapBuilder map = new ConfigMapBuilder().withNewMetadata().withName(name(environment))
                    .withNamespace(namespace).addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER)
                    .addToLabels(HISTORY_LABEL, environment).endMetadata().addToData(KEY, encode(kept));
            if (now == null) {
                ConfigMapInventoryStore.ensureNamespace(client, namespace);
            } else {
                map.editMetadata().withResourceVersion(now.getMetadata().getResourceVersion()).endMetadata();
            }
            try {
                client.configMaps().inNamespace(namespace).resource(map.build()).fieldManager(MANAGER).forceConflicts()
                        .serverSideApply();
                return;
            } catch (KubernetesClientException e) {
                // 409: another write came between read and replace; read again and add to it
                if (e.getCode() != 409 || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    static String name(String environment) {
        return "treum-gitops-history-" + environment;
    }

    private static List<HistoryRecord> decode(ConfigMap map) {
        String text = map == null || map.getData() == null ? null : map.getData().get(KEY);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<HistoryRecord> records = new ArrayList<>();
        try {
            for (JsonNode node : JSON.readTree(text)) {
                Map<String, Integer> counts = new TreeMap<>();
                node.path("counts").fields().forEachRemaining(f -> counts.put(f.getKey(), f.getValue().asInt()));
                records.add(new HistoryRecord(HistoryRecord.Kind.valueOf(node.path("kind").asText()),
                        node.path("revision").asText(), node.path("trigger").asText(), node.path("user").asText(),
                        node.path("result").asText(), counts, Instant.parse(node.path("started").asText()),
                        Instant.parse(node.path("finished").asText()), node.path("message").asText()));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("ConfigMap " + map.getMetadata().getName() + " key " + KEY
                    + " is not a history the daemon wrote: " + e.getMessage(), e);
        }
        return records;
    }

    private static String encode(List<HistoryRecord> records) {
        ArrayNode array = JSON.createArrayNode();
        for (HistoryRecord record : records) {
            ObjectNode node = array.addObject().put("kind", record.kind().name()).put("revision", record.revision())
                    .put("trigger", record.trigger()).put("user", record.user()).put("result", record.result());
            ObjectNode counts = node.putObject("counts");
            new TreeMap<>(record.counts()).forEach(counts::put);
            node.put("started", record.started().toString()).put("finished", record.finished().toString())
                    .put("message", record.message());
        }
        return array.toString();
    }
}
