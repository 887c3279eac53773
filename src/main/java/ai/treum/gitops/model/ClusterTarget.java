package ai.treum.gitops.model;

/**
 * The cluster an environment's objects live in: {@code spec.cluster} of its environment.yaml.
 * Every form names where to find credentials, never a credential itself.
 */
public sealed interface ClusterTarget {

    /** The cluster the daemon runs in, through its own service account (or its kubeconfig when run outside one). */
    ClusterTarget IN_CLUSTER = new InCluster();

    /** How messages, status and the readiness check name the cluster: never a credential. */
    String id();

    record InCluster() implements ClusterTarget {
        @Override
        public String id() {
            return "in-cluster";
        }
    }

    /**
     * A kubeconfig kept in a Secret of the daemon's own cluster.
     *
     * @param namespace the Secret's namespace, or null for the daemon's
     */
    record KubeconfigSecret(String namespace, String name, String key) implements ClusterTarget {
        @Override
        public String id() {
            return "kubeconfig secret " + (namespace == null ? "" : namespace + "/") + name + " key " + key;
        }
    }

    /**
     * An EKS cluster, reached with a token presigned for it from the daemon's AWS identity (or the
     * role it assumes); endpoint and certificate authority from DescribeCluster.
     *
     * @param roleArn the role to assume first, or null
     */
    record Eks(String name, String region, String roleArn) implements ClusterTarget {
        @Override
        public String id() {
            return "eks " + region + "/" + name + (roleArn == null ? "" : " as " + roleArn);
        }
    }
}
