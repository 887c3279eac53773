package ai.treum.gitops.core.load;

import ai.treum.gitops.model.ResourceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's side of every environment's boundary, from its own configuration and never from
 * Git: its namespace, which no environment writes, and the few objects the platform team lets one
 * environment write beyond its namespaces and cluster-scoped kinds (an add-on's RoleBinding in
 * kube-system). The cluster's RBAC and admission policy (k8s/) must allow the same objects.
 *
 * @param grants per environment, the objects it may write outside its scope, as {@link ResourceKey#toString()}
 */
public record Boundary(String daemonNamespace, Map<String, Set<String>> grants) {

    /** @throws IllegalArgumentException for a grant in the daemon's namespace, or of that Namespace itself */
    public Boundary {
        grants = Map.copyOf(grants);
        grants.forEach((environment, objects) -> objects.stream().filter(o -> opens(o, daemonNamespace)).findFirst()
                .ifPresent(object -> {
                    throw new IllegalArgumentException("treum-gitops.boundary-grants: '" + environment + ":" + object
                            + "' names the daemon's namespace " + daemonNamespace
                            + ", which holds its inventories and Leases; no grant opens it");
                }));
    }

    /** Whether a granted object lies in that namespace, or is that Namespace. */
    private static boolean opens(String object, String namespace) {
        String[] parts = object.split("/");
        return parts.length == 3 ? parts[1].equals(namespace) : parts[0].equals("Namespace") && parts[1].equals(namespace);
    }

    /** No grants: every environment stays inside its own scope. */
    public static Boundary of(String daemonNamespace) {
        return new Boundary(daemonNamespace, Map.of());
    }

    /**
     * @param entries each {@code environment:Kind/namespace/name}, or {@code environment:Kind/name} for a
     *                cluster-scoped object
     * @throws IllegalArgumentException naming the first entry that is not of that shape, or one that opens the daemon's namespace
     */
    public static Boundary parse(String daemonNamespace, List<String> entries) {
        Map<String, Set<String>> grants = new HashMap<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split(":", 2);
            String[] object = parts.length == 2 ? parts[1].split("/", -1) : new String[0];
            boolean shaped = parts.length == 2 && !parts[0].isBlank() && (object.length == 2 || object.length == 3)
                    && List.of(object).stream().noneMatch(String::isBlank);
            if (!shaped) {
                throw new IllegalArgumentException("treum-gitops.boundary-grants: '" + entry
                        + "' is not environment:Kind/namespace/name or environment:Kind/name");
            }
            grants.computeIfAbsent(parts[0], e -> new HashSet<>()).add(parts[1]);
        }
        return new Boundary(daemonNamespace, grants);
    }

    /** Whether the platform team lets this environment write this object outside its scope. */
    public boolean grants(String environment, ResourceKey key) {
        return grants.getOrDefault(environment, Set.of()).contains(key.toString());
    }
}
