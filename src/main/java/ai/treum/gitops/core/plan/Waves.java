package ai.treum.gitops.core.plan;

import ai.treum.gitops.model.GroupKind;
import ai.treum.gitops.model.ResourceKey;
import java.util.Map;

/**
 * The order objects are applied in, so each finds what it needs: definitions and namespaces;
 * then identities, roles, policies, configuration and claims; then the bindings of roles, which
 * the API server checks against the role they name (it must exist unless the writer may bind
 * anything); then workloads; then what routes to or scales them, and every kind not known here
 * (custom resources, after their CRDs). ExternalSecrets and cert-manager Certificates come with
 * the configuration: the Secrets they make are what the pre-sync hooks wait for.
 */
public final class Waves {

    public static final int DEFINITIONS = 0;
    public static final int FOUNDATIONS = 1;
    public static final int BINDINGS = 2;
    public static final int WORKLOADS = 3;
    public static final int EXPOSURE = 4;

    private static final Map<GroupKind, Integer> BY_KIND = GroupKind.keyed(Map.ofEntries(
            Map.entry("apiextensions.k8s.io/CustomResourceDefinition", DEFINITIONS),
            Map.entry("/Namespace", DEFINITIONS),
            Map.entry("/ServiceAccount", FOUNDATIONS),
            Map.entry("rbac.authorization.k8s.io/ClusterRole", FOUNDATIONS),
            Map.entry("rbac.authorization.k8s.io/Role", FOUNDATIONS),
            Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", BINDINGS),
            Map.entry("rbac.authorization.k8s.io/RoleBinding", BINDINGS),
            Map.entry("/ConfigMap", FOUNDATIONS),
            Map.entry("/Secret", FOUNDATIONS),
            Map.entry("/PersistentVolumeClaim", FOUNDATIONS),
            Map.entry("/ResourceQuota", FOUNDATIONS),
            Map.entry("/LimitRange", FOUNDATIONS),
            Map.entry("networking.k8s.io/NetworkPolicy", FOUNDATIONS),
            Map.entry("scheduling.k8s.io/PriorityClass", FOUNDATIONS),
            Map.entry("storage.k8s.io/StorageClass", FOUNDATIONS),
            // what makes the Secrets workloads and hooks read: there before the hooks wait for them
            Map.entry("external-secrets.io/SecretStore", FOUNDATIONS),
            Map.entry("external-secrets.io/ClusterSecretStore", FOUNDATIONS),
            Map.entry("external-secrets.io/ExternalSecret", FOUNDATIONS),
            Map.entry("cert-manager.io/Issuer", FOUNDATIONS),
            Map.entry("cert-manager.io/ClusterIssuer", FOUNDATIONS),
            Map.entry("cert-manager.io/Certificate", FOUNDATIONS),
            Map.entry("apps/Deployment", WORKLOADS),
            Map.entry("apps/StatefulSet", WORKLOADS),
            Map.entry("apps/DaemonSet", WORKLOADS),
            Map.entry("apps/ReplicaSet", WORKLOADS),
            Map.entry("batch/Job", WORKLOADS),
            Map.entry("batch/CronJob", WORKLOADS),
            Map.entry("/Pod", WORKLOADS)));

    private Waves() {
    }

    public static int of(ResourceKey key) {
        return BY_KIND.getOrDefault(key.groupKind(), EXPOSURE);
    }
}
