package ai.treum.gitops.core.health;

import com.fasterxml.jackson.databind.JsonNode;

/** Health of what routes to, stores for and scales workloads. */
final class ServingHealth {

    private ServingHealth() {
    }

    /** Only a LoadBalancer Service waits for something: its external address. */
    static ResourceHealth service(JsonNode s) {
        if (!"LoadBalancer".equals(s.path("spec").path("type").asText())) {
            return ResourceHealth.healthy();
        }
        return hasAddress(s) ? ResourceHealth.healthy() : ResourceHealth.progressing("waiting for a load balancer address");
    }

    static ResourceHealth ingress(JsonNode i) {
        return hasAddress(i) ? ResourceHealth.healthy() : ResourceHealth.progressing("waiting for an address from the ingress controller");
    }

    static ResourceHealth persistentVolumeClaim(JsonNode pvc) {
        return switch (pvc.path("status").path("phase").asText("Pending")) {
            case "Bound" -> ResourceHealth.healthy();
            case "Lost" -> ResourceHealth.degraded("its volume was lost");
            default -> ResourceHealth.progressing("waiting for a volume");
        };
    }

    static ResourceHealth horizontalPodAutoscaler(JsonNode hpa) {
        JsonNode status = hpa.path("status");
        JsonNode able = WorkloadHealth.condition(status, "AbleToScale");
        JsonNode active = WorkloadHealth.condition(status, "ScalingActive");
        if (able.isMissingNode() && active.isMissingNode()) {
            return ResourceHealth.progressing("waiting for the autoscaler's first reading");
        }
        if ("False".equals(able.path("status").asText())) {
            return ResourceHealth.degraded("cannot scale: " + able.path("message").asText(""));
        }
        if ("False".equals(active.path("status").asText())) {
            return "ScalingDisabled".equals(active.path("reason").asText())
                    ? new ResourceHealth(HealthStatus.SUSPENDED, "scaling disabled")
                    : ResourceHealth.degraded("cannot compute a scale: " + active.path("message").asText(""));
        }
        return ResourceHealth.healthy();
    }

    private static boolean hasAddress(JsonNode object) {
        return !object.path("status").path("loadBalancer").path("ingress").isEmpty();
    }
}
