package ai.treum.gitops.port;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/** Reads live objects, in the cluster of the environment named in each call. */
public interface ClusterReader {

    /** The live object, or empty when it does not exist. */
    Optional<ObjectNode> get(String environment, String apiVersion, ResourceKey key);

    /** Whether the API server serves this kind at this apiVersion (a CRD's kind only once it is established). */
    boolean serves(String environment, String apiVersion, String kind);

    /**
     * The objects of a served kind in a namespace (null: cluster-scoped) that exist but that
     * {@link #get} does not show for the environment, each with the environment whose label it
     * carries ({@code ""}: none, nobody's). A reader that shows every object has none.
     */
    default Map<String, String> notShown(String environment, String apiVersion, String kind, String namespace) {
        return Map.of();
    }
}
