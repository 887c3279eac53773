package ai.treum.gitops.adapter.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object as its JSON text rather than as parsed maps: about a
 * fifth of the heap (docs/benchmarks.md), where every managed object of every environment is held.
 * Readers want a fresh tree anyway ({@link #node}), so parsing on read costs what converting the
 * parsed maps did.
 */
final class CompactStore implements ItemStore<GenericKubernetesResource> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesSerialization serialization;
    private final Map<String, byte[]> items = new ConcurrentHashMap<>();

    CompactStore(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** The object stored under the key, as a tree of its own. */
    Optional<ObjectNode> node(String key) {
        byte[] json = items.get(key);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((ObjectNode) JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("stored object " + key + " does not parse", e);
        }
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        return parse(items.put(key, serialization.asJson(object).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return parse(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream().map(this::parse);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return parse(items.get(key));
    }

    private GenericKubernetesResource parse(byte[] json) {
        return json == null ? null
                : serialization.unmarshal(new ByteArrayInputStream(json), GenericKubernetesResource.class);
    }
}
