package ai.treum.gitops.port;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Reads live objects. */
public interface ClusterReader {

    /** The live object, or empty when it does not exist. */
    Optional<ObjectNode> get(String apiVersion, ResourceKey key);

    /** Whether the API server serves this kind at this apiVersion (a CRD's kind only once it is established). */
    boolean serves(String apiVersion, String kind);
}
