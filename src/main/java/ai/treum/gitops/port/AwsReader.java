package ai.treum.gitops.port;

import ai.treum.gitops.model.AwsResource;
import java.util.List;
import java.util.Map;

/** The live state of the AWS resources an environment declares. */
public interface AwsReader {

    /**
     * What AWS has of the declared resources, by {@link AwsResource#toString()}, each with its
     * fields named as declared; a resource AWS does not have is absent. Services with nothing
     * declared are not called.
     *
     * @param region the environment's region, or null for the daemon's
     */
    Map<String, Map<String, Object>> read(String region, List<AwsResource> declared);
}
