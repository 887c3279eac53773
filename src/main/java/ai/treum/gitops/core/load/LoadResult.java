package ai.treum.gitops.core.load;

import ai.treum.gitops.model.DesiredResource;
import java.util.List;

/** Every object of an environment's revision, or every reason the revision is rejected. Never both. */
public sealed interface LoadResult {

    record Loaded(List<DesiredResource> resources) implements LoadResult {
    }

    record Rejected(List<LoadError> errors) implements LoadResult {

        @Override
        public String toString() {
            return errors.size() + " error(s): " + String.join("; ", errors.stream().map(LoadError::toString).toList());
        }
    }
}
