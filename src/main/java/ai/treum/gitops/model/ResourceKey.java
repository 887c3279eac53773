package ai.treum.gitops.model;

import java.util.Comparator;

/**
 * Identity of a Kubernetes object: API group, kind, namespace (null when cluster-scoped) and
 * name. The version is not part of it: {@code apps/v1} and a later {@code apps/v2} name the same
 * object. Printed the same way everywhere: {@code Deployment/treum-production/api}.
 */
public record ResourceKey(String group, String kind, String namespace, String name) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::group)
            .thenComparing(ResourceKey::kind)
            .thenComparing(k -> k.namespace() == null ? "" : k.namespace())
            .thenComparing(ResourceKey::name);

    public ResourceKey {
        group = group == null ? "" : group;
    }

    public static ResourceKey of(String apiVersion, String kind, String namespace, String name) {
        return new ResourceKey(groupOf(apiVersion), kind, namespace, name);
    }

    /** The group of an apiVersion: {@code apps} of {@code apps/v1}, the empty core group of {@code v1}. */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public GroupKind groupKind() {
        return new GroupKind(group, kind);
    }

    public boolean clusterScoped() {
        return namespace == null;
    }

    /** The inventory's one-line form, {@code group|kind|namespace|name}; see {@link #parse}. */
    public String encode() {
        return group + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
    }

    public static ResourceKey parse(String encoded) {
        String[] parts = encoded.split("\\|", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an encoded ResourceKey: " + encoded);
        }
        return new ResourceKey(parts[0], parts[1], parts[2].isEmpty() ? null : parts[2], parts[3]);
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
