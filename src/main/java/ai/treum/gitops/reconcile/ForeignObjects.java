package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.port.ClusterReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an object of the revision exists and is not the environment's: another
 * environment's, which is never taken over, or nobody's, which is only with
 * {@code gitops.treum.ai/adopt: "true"} in Git. Objects the reader does not show for the
 * environment are looked up once per kind and namespace, for one plan or sync.
 */
final class ForeignObjects {

    private final ClusterReader reader;
    private final String env;
    private final Map<String, Map<String, String>> notShown = new HashMap<>();
    private final Map<String, Boolean> served = new HashMap<>();

    ForeignObjects(ClusterReader reader, String env) {
        this.reader = reader;
        this.env = env;
    }

    /** Reads the live object itself; one of a kind not served yet (its CRD comes in this revision) cannot exist. */
    Optional<String> check(DesiredResource r) {
        return served(r) ? check(r, reader.get(env, r.apiVersion(), r.key())) : Optional.empty();
    }

    Optional<String> check(DesiredResource r, Optional<ObjectNode> live) {
        if (live.isEmpty() && !notShown(r).containsKey(r.key().name())) {
            return Optional.empty();
        }
        String owner = live.map(Ownership::environmentOf).orElseGet(() -> notShown(r).get(r.key().name()));
        if (owner.equals(env)) {
            return Optional.empty();
        }
        if (!owner.isEmpty()) {
            return Optional.of(r.source() + ": other-environment: " + r.key() + " exists and is environment " + owner
                    + "'s; it is not taken over");
        }
        if (Ownership.annotated(r.body(), Ownership.ADOPT_ANNOTATION, "true")) {
            return Optional.empty();
        }
        return Optional.of(r.source() + ": adoption: " + r.key() + " exists and is not managed by treum-gitops; "
                + "annotate it " + Ownership.ADOPT_ANNOTATION + ": \"true\" in Git to take it over");
    }

    /** A kind that a CRD of this revision defines may not be served yet, and then has no objects. */
    private boolean served(DesiredResource r) {
        return served.computeIfAbsent(r.apiVersion() + " " + r.key().kind(), k -> reader.serves(env, r.apiVersion(),
                r.key().kind()));
    }

    private Map<String, String> notShown(DesiredResource r) {
        if (!served(r)) {
            return Map.of();
        }
        return notShown.computeIfAbsent(r.apiVersion() + " " + r.key().kind() + " " + r.key().namespace(),
                k -> reader.notShown(env, r.apiVersion(), r.key().kind(), r.key().namespace()));
    }
}
