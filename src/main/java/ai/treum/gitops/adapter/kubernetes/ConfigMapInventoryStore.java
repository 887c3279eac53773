package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.port.InventoryStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Each environment's inventory as a ConfigMap {@code treum-gitops-inventory-<environment>} in the
 * daemon's own namespace: one line per object. It lives beside the objects, not in the daemon, so
 * a restarted or replaced daemon prunes exactly what an earlier one applied.
 */
public class ConfigMapInventoryStore implements InventoryStore {

    static final String KEY = "entries";
    static final String MARK_PREFIX = "gitops.treum.ai/";

    private final KubernetesClient client;
    private final String namespace;

    public ConfigMapInventoryStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public SortedSet<InventoryEntry> load(String environment) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name(environment)).get();
        SortedSet<InventoryEntry> entries = new TreeSet<>();
        if (map != null && map.getData() != null && map.getData().get(KEY) != null) {
            Arrays.stream(map.getData().get(KEY).split("\n")).filter(l -> !l.isBlank()).map(InventoryEntry::parse)
                    .forEach(entries::add);
        }
        return entries;
    }

    @Override
    public void save(String environment, SortedSet<InventoryEntry> entries) {
        ensureNamespace();
        ConfigMap map = inventory(environment)
                .addToData(KEY, entries.stream().map(InventoryEntry::encode).collect(Collectors.joining("\n")))
                .build();
        client.configMaps().inNamespace(namespace).resource(map).fieldManager(Ownership.FIELD_MANAGER + "-inventory")
                .forceConflicts().serverSideApply();
    }

    @Override
    public Map<String, String> marks(String environment) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name(environment)).get();
        Map<String, String> marks = new TreeMap<>();
        if (map != null && map.getMetadata().getAnnotations() != null) {
            map.getMetadata().getAnnotations().forEach((key, value) -> {
                if (key.startsWith(MARK_PREFIX)) {
                    marks.put(key.substring(MARK_PREFIX.length()), value);
                }
            });
        }
        return marks;
    }

    /** Annotations under their own field manager, so saving the inventory leaves them alone. */
    @Override
    public void mark(String environment, Map<String, String> marks) {
        ensureNamespace();
        Map<String, String> all = new TreeMap<>(marks(environment));
        all.putAll(marks);
        ConfigMapBuilder map = inventory(environment);
        all.forEach((key, value) -> map.editMetadata().addToAnnotations(MARK_PREFIX + key, value).endMetadata());
        client.configMaps().inNamespace(namespace).resource(map.build()).fieldManager(Ownership.FIELD_MANAGER + "-marks")
                .forceConflicts().serverSideApply();
    }

    /** The inventory ConfigMap's identity and labels, for each field manager to apply its own part to. */
    private ConfigMapBuilder inventory(String environment) {
        return new ConfigMapBuilder().withNewMetadata().withName(name(environment)).withNamespace(namespace)
                .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER)
                .addToLabels(Ownership.ENVIRONMENT_LABEL, environment).endMetadata();
    }

    private void ensureNamespace() {
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).fieldManager(Ownership.FIELD_MANAGER).serverSideApply();
        }
    }

    static String name(String environment) {
        return "treum-gitops-inventory-" + environment;
    }
}
