package ai.treum.gitops.reconcile;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.EnvironmentClusters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An environment as its environment.yaml at Git's head declares it, whichever revision is being
 * applied or checked: a rollback to an older revision happens in the cluster the environment lives
 * in now, and is told to whom the environment names now. A head whose environment.yaml does not
 * load keeps the last one that did, so a broken commit moves nothing.
 */
@ApplicationScoped
public class HeadEnvironments implements EnvironmentClusters {

    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final Map<String, EnvironmentSpec> lastValid = new ConcurrentHashMap<>();

    HeadEnvironments(DesiredStateWatcher watcher, RevisionReader revisions) {
        this.watcher = watcher;
        this.revisions = revisions;
    }

    @Override
    public Optional<ClusterTarget> of(String environment) {
        return spec(environment).map(EnvironmentSpec::cluster);
    }

    /** The environment at Git's head, or as last loaded; empty before any revision of it loaded. */
    public Optional<EnvironmentSpec> spec(String environment) {
        Optional<Revision> head = watcher.current();
        if (head.isPresent() && watcher.environments().contains(environment)) {
            EnvironmentRevision read = revisions.read(environment, head.get());
            if (read.environment() != null) {
                lastValid.put(environment, read.environment());
            }
        }
        return Optional.ofNullable(lastValid.get(environment));
    }
}
