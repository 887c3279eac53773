package ai.treum.gitops.core.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Health of a kind without a check of its own, read the way kstatus (sigs.k8s.io/cli-utils), and
 * so Flux, reads any object: being deleted, or a generation its controller has not observed yet,
 * is progressing; a Stalled condition is degraded; Reconciling, or Ready not True, is
 * progressing; Ready True, or no status to say otherwise (a PrometheusRule, a ServiceMonitor), is
 * healthy. Pure.
 */
final class GenericHealth {

    private GenericHealth() {
    }

    static ResourceHealth of(JsonNode live) {
        JsonNode metadata = live.path("metadata");
        if (!metadata.path("deletionTimestamp").isMissingNode()) {
            return ResourceHealth.progressing("being deleted");
        }
        JsonNode status = live.path("status");
        long generation = metadata.path("generation").asLong(0);
        long observed = status.path("observedGeneration").asLong(generation);
        if (observed < generation) {
            return ResourceHealth.progressing("its controller has not observed generation " + generation + " yet (at "
                    + observed + ")");
        }
        JsonNode stalled = WorkloadHealth.condition(status, "Stalled");
        if ("True".equals(stalled.path("status").asText())) {
            return ResourceHealth.degraded("stalled: " + said(stalled));
        }
        JsonNode reconciling = WorkloadHealth.condition(status, "Reconciling");
        if ("True".equals(reconciling.path("status").asText())) {
            return ResourceHealth.progressing("reconciling: " + said(reconciling));
        }
        JsonNode ready = WorkloadHealth.condition(status, "Ready");
        if (!ready.isMissingNode() && !"True".equals(ready.path("status").asText())) {
            return ResourceHealth.progressing("not ready: " + said(ready));
        }
        return ResourceHealth.healthy();
    }

    private static String said(JsonNode condition) {
        String reason = condition.path("reason").asText("");
        String message = condition.path("message").asText("");
        return reason.isEmpty() ? message : message.isEmpty() ? reason : reason + ": " + message;
    }
}
