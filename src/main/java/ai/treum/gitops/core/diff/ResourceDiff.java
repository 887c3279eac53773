package ai.treum.gitops.core.diff;

import ai.treum.gitops.model.ResourceKey;
import java.util.List;

/** How one desired object compares with the cluster. */
public sealed interface ResourceDiff {

    ResourceKey key();

    /** The object does not exist in the cluster. */
    record Missing(ResourceKey key) implements ResourceDiff {
    }

    /** The object exists but the daemon has never applied it, so it owns none of its fields. */
    record Unmanaged(ResourceKey key) implements ResourceDiff {
    }

    /** Fields the daemon owns, or that Git declares, differ from the cluster. */
    record Drifted(ResourceKey key, List<FieldDiff> fields) implements ResourceDiff {
    }

    record InSync(ResourceKey key) implements ResourceDiff {
    }

    default boolean inSync() {
        return this instanceof InSync;
    }
}
