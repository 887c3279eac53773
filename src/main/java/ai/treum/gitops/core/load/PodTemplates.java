package ai.treum.gitops.core.load;

import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/** Where an object keeps the pods it runs. Pure. */
public final class PodTemplates {

    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private PodTemplates() {
    }

    /**
     * The pod template (its metadata and spec) of a Deployment, StatefulSet, DaemonSet,
     * ReplicaSet, Job or CronJob, or a Pod itself; empty for any other kind.
     */
    public static Optional<JsonNode> of(DesiredResource object) {
        String kind = object.key().kind();
        JsonNode spec = object.body().path("spec");
        if (TEMPLATED.contains(kind)) {
            return Optional.of(spec.path("template"));
        }
        if (kind.equals("CronJob")) {
            return Optional.of(spec.path("jobTemplate").path("spec").path("template"));
        }
        return kind.equals("Pod") ? Optional.of(object.body()) : Optional.empty();
    }
}
