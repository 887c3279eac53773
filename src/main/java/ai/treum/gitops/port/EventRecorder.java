package ai.treum.gitops.port;

import ai.treum.gitops.model.ResourceKey;

/** Records what happened to an object where people look for it: a Kubernetes Event on the object, in its environment's cluster. */
public interface EventRecorder {

    /** An event about one object. {@code warning} for drift and failures, normal otherwise. */
    record ObjectEvent(ResourceKey key, boolean warning, String reason, String message) {
    }

    /** Best effort: a failure to record is logged, never thrown. */
    void record(String environment, ObjectEvent event);
}
