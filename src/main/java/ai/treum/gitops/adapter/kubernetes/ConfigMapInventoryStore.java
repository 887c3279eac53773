package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.port.InventoryStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Each environment's inventory as a ConfigMap {@code treum-gitops-inventory-<environment>} in the
 * daemon's own namespace: one line per object. It lives beside the objects, not in the daemon, so
 * a restarted or replaced daemon prunes exactly what an earlier one applied. Inventories and
 * marks are written only while this replica holds the environment's shard, asked again before
 * each retry.
 */
public class ConfigMapInventoryStore implements InventoryStore {

    static final String KEY = "entries";
    static final String MARK_PREFIX = "gitops.treum.ai/";

    private final KubernetesClient client;
    private final String namespace;
    private final Predicate<String> mayWriteFor;

    /** @param mayWriteFor whether this replica may write for an environment now */
    public ConfigMapInventoryStore(KubernetesClient client, String namespace, Predicate<String> mayWriteFor) {
        this.client = client;
        this.namespace = namespace;
        this.mayWriteFor = mayWriteFor;
    }

    /** A store this process alone writes to: {@code plan}, which only reads, and tests. */
    public ConfigMapInventoryStore(KubernetesClient client, String namespace) {
        this(client, namespace, environment -> true);
    }

    @Override
    public Versioned loadVersioned(String environment) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name(environment)).get();
        SortedSet<InventoryEntry> entries = new TreeSet<>();
        if (map != null && map.getData() != null && map.getData().get(KEY) != null) {
            Arrays.stream(map.getData().get(KEY).split("\n")).filter(l -> !l.isBlank()).map(InventoryEntry::parse)
                    .forEach(entries::add);
        }
        return new Versioned(entries, map == null ? "" : map.getMetadata().getResourceVersion());
    }

    /**
     * A server-side apply with the version read as its precondition. When only the marks changed
     * meanwhile (another field manager's annotations), the entries are as expected and the save
     * is made over the new version; when the entries changed, it is a {@link Conflict}.
     */
    @Override
    public Versioned save(String environment, Versioned expected, SortedSet<InventoryEntry> entries) {
        ensureNamespace();
        // with no version to hold on to, the one there now is the precondition, once its entries are as expected
        Versioned over = expected.version().isEmpty() ? agreeing(environment, expected) : expected;
        for (int attempt = 0; ; attempt++) {
            refuseUnlessHeld(environment, "inventory");
            ConfigMapBuilder map = inventory(environment)
                    .addToData(KEY, entries.stream().map(InventoryEntry::encode).collect(Collectors.joining("\n")));
            if (!over.version().isEmpty()) {
                map.editMetadata().withResourceVersion(over.version()).endMetadata();
            }
            try {
                ConfigMap saved = client.configMaps().inNamespace(namespace).resource(map.build())
                        .fieldManager(Ownership.FIELD_MANAGER + "/inventory").forceConflicts().serverSideApply();
                return new Versioned(new TreeSet<>(entries), saved.getMetadata().getResourceVersion());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 3) {
                    throw e;
                }
                over = agreeing(environment, expected);
            }
        }
    }

    /** The inventory now, if its entries are still the expected ones; otherwise a conflict. */
    private Versioned agreeing(String environment, Versioned expected) {
        Versioned now = loadVersioned(environment);
        if (!now.entries().equals(expected.entries())) {
            throw new Conflict("the inventory of environment " + environment + " changed since it was read (another"
                    + " replica?); nothing was saved");
        }
        return now;
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

    /**
     * Annotations under their own field manager, so saving the inventory leaves them alone. The
     * apply must carry every mark (the manager's fields it leaves out would go), so it reads the
     * others first; one mark at a time, or two writers (a rollback's revert commit, a sync's
     * synced revisions) would each put back the other's old value.
     */
    @Override
    public synchronized void mark(String environment, Map<String, String> marks) {
        refuseUnlessHeld(environment, "marks " + marks.keySet());
        ensureNamespace();
        Map<String, String> all = new TreeMap<>(marks(environment));
        all.putAll(marks);
        ConfigMapBuilder map = inventory(environment);
        all.forEach((key, value) -> map.editMetadata().addToAnnotations(MARK_PREFIX + key, value).endMetadata());
        client.configMaps().inNamespace(namespace).resource(map.build()).fieldManager(Ownership.FIELD_MANAGER + "/marks")
                .forceConflicts().serverSideApply();
    }

    private void refuseUnlessHeld(String environment, String what) {
        if (!mayWriteFor.test(environment)) {
            throw new Conflict("the " + what + " of environment " + environment + " not saved: this replica no longer "
                    + "holds the environment's shard");
        }
    }

    /** The inventory ConfigMap's identity and labels, for each field manager to apply its own part to. */
    private ConfigMapBuilder inventory(String environment) {
        return new ConfigMapBuilder().withNewMetadata().withName(name(environment)).withNamespace(namespace)
                .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER)
                .addToLabels(Ownership.ENVIRONMENT_LABEL, environment).endMetadata();
    }

    private void ensureNamespace() {
        ensureNamespace(client, namespace);
    }

    /** The daemon's namespace in a cluster it has not written to yet. */
    static void ensureNamespace(KubernetesClient client, String namespace) {
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).fieldManager(Ownership.FIELD_MANAGER).serverSideApply();
        }
    }

    static String name(String environment) {
        return "treum-gitops-inventory-" + environment;
    }
}
