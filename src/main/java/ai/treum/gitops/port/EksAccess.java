package ai.treum.gitops.port;

import ai.treum.gitops.model.ClusterTarget;
import java.util.function.Supplier;

/** What it takes to talk to an EKS cluster's API server, from the daemon's AWS identity. */
public interface EksAccess {

    /**
     * @param endpoint             the API server's URL
     * @param certificateAuthority its CA bundle, base64 of the PEM, as DescribeCluster gives it
     */
    record Endpoint(String endpoint, String certificateAuthority) {
    }

    /** From DescribeCluster; throws when AWS does not know the cluster or refuses the call. */
    Endpoint describe(ClusterTarget.Eks cluster);

    /** Bearer tokens for the cluster, each fresh for as long as the API server accepts it. */
    Supplier<String> tokens(ClusterTarget.Eks cluster);
}
