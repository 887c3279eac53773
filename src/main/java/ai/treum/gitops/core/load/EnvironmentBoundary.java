package ai.treum.gitops.core.load;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one environment's Git may ask the daemon to write: objects in its own namespaces, the
 * cluster-scoped kinds it lists, nothing in the system's or the daemon's namespace (inventories,
 * shard Leases, forwarded requests live there), nothing labelled as another environment's, and
 * no service-account token Secret (it would mint a credential of any account in the namespace).
 * The daemon's configuration may grant one environment named objects beyond its namespaces and
 * kinds, even in the system's namespaces ({@link Boundary}); Git cannot.
 * Pure: the revision's objects in, one error per object out.
 */
public final class EnvironmentBoundary {

    /** Namespaces of the cluster itself, which no environment writes. */
    public static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    private EnvironmentBoundary() {
    }

    public static List<LoadError> check(EnvironmentSpec environment, List<DesiredResource> objects, Boundary boundary) {
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource object : objects) {
            String problem = problem(environment, object, boundary);
            if (problem != null) {
                errors.add(new LoadError(object.source(), problem.substring(0, problem.indexOf(':')),
                        object.key() + problem.substring(problem.indexOf(':'))));
            }
        }
        return errors;
    }

    /** {@code rule: why}, or null when the object is inside the boundary. */
    private static String problem(EnvironmentSpec environment, DesiredResource object, Boundary boundary) {
        ResourceKey key = object.key();
        String daemonNamespace = boundary.daemonNamespace();
        String namespace = key.clusterScoped() ? (key.kind().equals("Namespace") && key.group().isEmpty() ? key.name() : null)
                : key.namespace();
        boolean granted = boundary.grants(environment.name(), key);
        if (namespace != null && !granted && (SYSTEM_NAMESPACES.contains(namespace) || namespace.equals(daemonNamespace))) {
            return "reserved-namespace: " + namespace + " belongs to " + (namespace.equals(daemonNamespace)
                    ? "the daemon (inventories, shard Leases)" : "the cluster") + "; no environment writes there";
        }
        String owner = Ownership.environmentOf(object.body());
        if (!owner.isEmpty() && !owner.equals(environment.name())) {
            return "other-environment: labelled " + Ownership.ENVIRONMENT_LABEL + "=" + owner + ", not " + environment.name();
        }
        if (key.kind().equals("Secret") && key.group().isEmpty()
                && "kubernetes.io/service-account-token".equals(object.body().path("type").asText())) {
            return "service-account-token: a Secret of type kubernetes.io/service-account-token would mint a token "
                    + "of any service account in its namespace";
        }
        if (granted) {
            return null;
        }
        EnvironmentSpec.Scope scope = environment.scope();
        if (!key.clusterScoped()) {
            return scope.namespaces().contains(namespace) ? null : "namespace-boundary: namespace " + namespace
                    + " is not one of spec.namespaces " + scope.namespaces() + " of environment " + environment.name();
        }
        if (namespace != null) {
            return scope.namespaces().contains(namespace) ? null : "namespace-boundary: Namespace " + namespace
                    + " is not one of spec.namespaces " + scope.namespaces() + " of environment " + environment.name();
        }
        return scope.allowsKind(key.group(), key.kind()) ? null : "cluster-scoped-boundary: " + key.kind()
                + " is cluster-scoped and not listed in spec.clusterScoped of environment " + environment.name();
    }
}
