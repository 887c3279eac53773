package ai.treum.gitops.core.health;

import ai.treum.gitops.model.GroupKind;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One health check per kind, and for any other kind (VerticalPodAutoscaler, PrometheusRule,
 * ExternalSecret, cert-manager's Certificate, ...) the conditions every controller shares, read
 * as kstatus reads them ({@link GenericHealth}). Pure: live objects in, health out.
 */
public final class HealthChecks {

    /** Kinds whose health is their existence: they have no status that could go bad. */
    private static final Set<GroupKind> EXISTENCE_IS_HEALTH = GroupKind.setOf(
            "/ConfigMap", "/Secret", "/ServiceAccount", "/Namespace", "/ResourceQuota", "/LimitRange",
            "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
            "networking.k8s.io/NetworkPolicy", "networking.k8s.io/IngressClass", "policy/PodDisruptionBudget",
            "scheduling.k8s.io/PriorityClass", "storage.k8s.io/StorageClass",
            "apiextensions.k8s.io/CustomResourceDefinition");

    private static final Map<GroupKind, Function<JsonNode, ResourceHealth>> CHECKS = GroupKind.keyed(Map.of(
            "apps/Deployment", WorkloadHealth::deployment,
            "apps/StatefulSet", WorkloadHealth::statefulSet,
            "apps/DaemonSet", WorkloadHealth::daemonSet,
            "batch/Job", WorkloadHealth::job,
            "batch/CronJob", WorkloadHealth::cronJob,
            "/Service", ServingHealth::service,
            "networking.k8s.io/Ingress", ServingHealth::ingress,
            "/PersistentVolumeClaim", ServingHealth::persistentVolumeClaim,
            "autoscaling/HorizontalPodAutoscaler", ServingHealth::horizontalPodAutoscaler));

    private HealthChecks() {
    }

    /** @param live the object as the cluster has it, empty when it does not exist */
    public static ResourceHealth assess(ResourceKey key, Optional<ObjectNode> live) {
        return assess(key, live, HealthRules.NONE);
    }

    /** @param rules the environment's own health expressions, which stand before the checks here */
    public static ResourceHealth assess(ResourceKey key, Optional<ObjectNode> live, HealthRules rules) {
        if (live.isEmpty()) {
            return new ResourceHealth(HealthStatus.MISSING, key + " does not exist");
        }
        Optional<ResourceHealth> declared = rules.assess(key, live.get());
        if (declared.isPresent()) {
            return declared.get();
        }
        GroupKind kind = key.groupKind();
        if (EXISTENCE_IS_HEALTH.contains(kind)) {
            return ResourceHealth.healthy();
        }
        Function<JsonNode, ResourceHealth> check = CHECKS.get(kind);
        return check == null ? GenericHealth.of(live.get()) : check.apply(live.get());
    }
}
