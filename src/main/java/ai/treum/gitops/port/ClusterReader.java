package ai.treum.gitops.port;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/** Reads live objects, in the cluster of the environment named in each call. */
public interface ClusterReader {

    /** The live object, or empty when it does not exist. */
    Optional<ObjectNode> get(String environment, String apiVersion, ResourceKey key);

    /** Whether the API server serves this kind at this apiVersion (a CRD's kind only once it is established). */
    boolean serves(String environment, String apiVersion, String kind);

    /**
     * The names of objects of a served kind in a namespace (null: cluster-scoped) that exist but
     * that {@link #get} does not show, because they are not labelled as the daemon's. A reader
     * that shows every object has none.
     */
    default Set<String> unlabelled(String environment, String apiVersion, String kind, String namespace) {
        return Set.of();
    }
}
