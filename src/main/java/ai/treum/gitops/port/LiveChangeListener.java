package ai.treum.gitops.port;

import ai.treum.gitops.model.ResourceKey;

/** Hears that somebody other than the daemon changed or deleted one of its objects. */
@FunctionalInterface
public interface LiveChangeListener {

    void changed(String environment, ResourceKey key, boolean deleted);
}
