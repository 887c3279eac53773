package ai.treum.gitops.core.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Health of workloads: whether the controller has caught up with the spec and the pods are available. */
final class WorkloadHealth {

    private WorkloadHealth() {
    }

    static ResourceHealth deployment(JsonNode d) {
        JsonNode status = d.path("status");
        if (d.path("spec").path("paused").asBoolean(false)) {
            return new ResourceHealth(HealthStatus.SUSPENDED, "rollout paused");
        }
        if (notObserved(d)) {
            return ResourceHealth.progressing("waiting for the controller to observe generation "
                    + d.path("metadata").path("generation").asLong());
        }
        JsonNode progressing = condition(status, "Progressing");
        if ("ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
            return ResourceHealth.degraded("rollout exceeded its progress deadline");
        }
        int wanted = d.path("spec").path("replicas").asInt(1);
        int updated = status.path("updatedReplicas").asInt(0);
        int total = status.path("replicas").asInt(0);
        int available = status.path("availableReplicas").asInt(0);
        if (updated < wanted) {
            return ResourceHealth.progressing(updated + " of " + wanted + " replicas updated");
        }
        if (total > updated) {
            return ResourceHealth.progressing((total - updated) + " old replicas pending termination");
        }
        if (available < updated) {
            return ResourceHealth.progressing(available + " of " + updated + " updated replicas available");
        }
        return ResourceHealth.healthy();
    }

    static ResourceHealth statefulSet(JsonNode s) {
        JsonNode status = s.path("status");
        if (notObserved(s)) {
            return ResourceHealth.progressing("waiting for the controller to observe the spec");
        }
        int wanted = s.path("spec").path("replicas").asInt(1);
        int ready = status.path("readyReplicas").asInt(0);
        if (ready < wanted) {
            return ResourceHealth.progressing(ready + " of " + wanted + " replicas ready");
        }
        String update = status.path("updateRevision").asText("");
        if (!"OnDelete".equals(s.path("spec").path("updateStrategy").path("type").asText())
                && !update.isEmpty() && !update.equals(status.path("currentRevision").asText(""))) {
            return ResourceHealth.progressing("rolling out revision " + update);
        }
        return ResourceHealth.healthy();
    }

    static ResourceHealth daemonSet(JsonNode d) {
        JsonNode status = d.path("status");
        if (notObserved(d)) {
            return ResourceHealth.progressing("waiting for the controller to observe the spec");
        }
        int desired = status.path("desiredNumberScheduled").asInt(0);
        if (status.path("updatedNumberScheduled").asInt(0) < desired) {
            return ResourceHealth.progressing(status.path("updatedNumberScheduled").asInt(0) + " of " + desired
                    + " nodes updated");
        }
        if (status.path("numberAvailable").asInt(0) < desired) {
            return ResourceHealth.progressing(status.path("numberAvailable").asInt(0) + " of " + desired
                    + " nodes available");
        }
        return ResourceHealth.healthy();
    }

    /** Scheduled is healthy; whether its Jobs do their work is theirs to say (and, for backups, the backup check's). */
    static ResourceHealth cronJob(JsonNode c) {
        if (c.path("spec").path("suspend").asBoolean(false)) {
            return new ResourceHealth(HealthStatus.SUSPENDED, "schedule suspended");
        }
        return ResourceHealth.healthy();
    }

    static ResourceHealth job(JsonNode j) {
        JsonNode status = j.path("status");
        if ("True".equals(condition(status, "Failed").path("status").asText())) {
            return ResourceHealth.degraded("job failed: " + condition(status, "Failed").path("message").asText(""));
        }
        if ("True".equals(condition(status, "Complete").path("status").asText())) {
            return ResourceHealth.healthy();
        }
        if (j.path("spec").path("suspend").asBoolean(false)) {
            return new ResourceHealth(HealthStatus.SUSPENDED, "job suspended");
        }
        return ResourceHealth.progressing(status.path("active").asInt(0) + " pods running");
    }

    private static boolean notObserved(JsonNode object) {
        long generation = object.path("metadata").path("generation").asLong(0);
        return object.path("status").path("observedGeneration").asLong(0) < generation;
    }

    static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return MissingNode.getInstance();
    }
}
