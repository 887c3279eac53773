package ai.treum.gitops.port;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Objects as the API server of an environment's cluster would present them to admission, asked of the server itself. */
public interface AdmittedObjects {

    /**
     * The object with every default the server sets, by a server-side dry run that stores
     * nothing; empty when the server cannot say (a kind it does not serve, a namespace that does
     * not exist yet, an object it refuses).
     */
    Optional<JsonNode> admitted(String environment, JsonNode object);
}
