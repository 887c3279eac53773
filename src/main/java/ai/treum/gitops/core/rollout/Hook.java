package ai.treum.gitops.core.rollout;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Job that runs around a sync, chosen by its annotation {@value #ANNOTATION}: {@code pre-sync}
 * runs and must succeed before anything else of the revision is applied (a schema migration);
 * {@code post-sync} runs once the revision is rolled out and healthy, and its failure rolls the
 * revision back (a smoke test). Each runs once per revision: the Job carries the revision in
 * {@value #REVISION_ANNOTATION}, and a Job of another revision is replaced.
 */
public enum Hook {
    PRE_SYNC("pre-sync"),
    POST_SYNC("post-sync");

    public static final String ANNOTATION = "gitops.treum.ai/hook";
    public static final String REVISION_ANNOTATION = "gitops.treum.ai/hook-revision";

    private final String value;

    Hook(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The hook an object is; empty for every other object. */
    public static Optional<Hook> of(DesiredResource resource) {
        String named = resource.body().path("metadata").path("annotations").path(ANNOTATION).asText("");
        for (Hook hook : values()) {
            if (hook.value.equals(named)) {
                return Optional.of(hook);
            }
        }
        return Optional.empty();
    }

    /** The problems of hook annotations: an unknown value, or a hook that is not a Job. */
    public static List<LoadError> check(List<DesiredResource> resources) {
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource resource : resources) {
            JsonNode named = resource.body().path("metadata").path("annotations").get(ANNOTATION);
            if (named == null) {
                continue;
            }
            if (of(resource).isEmpty()) {
                errors.add(new LoadError(resource.source(), "hook", resource.key() + ": " + ANNOTATION
                        + " must be pre-sync or post-sync, found " + named.asText()));
            } else if (!resource.key().kind().equals("Job") || !resource.apiVersion().equals("batch/v1")) {
                errors.add(new LoadError(resource.source(), "hook", resource.key() + ": only a batch/v1 Job can be a hook"));
            }
        }
        return errors;
    }

    /** The hook's Job as it runs for one revision. */
    public static DesiredResource forRevision(DesiredResource job, String revision) {
        ObjectNode body = job.body().deepCopy();
        body.with("metadata").with("annotations").put(REVISION_ANNOTATION, revision);
        return new DesiredResource(job.key(), job.apiVersion(), body, job.source());
    }

    /** Where a hook's run stands, read from its live Job. */
    public sealed interface Run {
    }

    /** No Job of this revision yet: create it (after removing one of another revision). */
    public record NotStarted(boolean replace) implements Run {
    }

    public record Running(String detail) implements Run {
    }

    public record Succeeded() implements Run {
    }

    public record Failed(String reason) implements Run {
    }

    /** @param live the live Job, or null */
    public static Run run(JsonNode live, String revision) {
        if (live == null) {
            return new NotStarted(false);
        }
        if (!live.path("metadata").path("deletionTimestamp").isMissingNode()) {
            return new Running("the Job of an earlier run is being deleted");
        }
        if (!revision.equals(live.path("metadata").path("annotations").path(REVISION_ANNOTATION).asText())) {
            return new NotStarted(true);
        }
        for (JsonNode condition : live.path("status").path("conditions")) {
            if (!"True".equals(condition.path("status").asText())) {
                continue;
            }
            if ("Complete".equals(condition.path("type").asText())) {
                return new Succeeded();
            }
            if ("Failed".equals(condition.path("type").asText())) {
                return new Failed(condition.path("reason").asText("") + ": " + condition.path("message").asText(""));
            }
        }
        return new Running(live.path("status").path("active").asInt(0) + " pod(s) active");
    }
}
