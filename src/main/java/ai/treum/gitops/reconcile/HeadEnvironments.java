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
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /** The environment as loaded, and the head it was looked up at (where it may not have loaded). */
    private record Known(Revision head, EnvironmentSpec spec) {
    }

    HeadEnvironments(DesiredStateWatcher watcher, RevisionReader revisions) {
        this.watcher = watcher;
        this.revisions = revisions;
    }

    @Override
    public Optional<ClusterTarget> of(String environment) {
        return spec(environment).map(EnvironmentSpec::cluster);
    }

    /**
     * The environment at Git's head, or as last loaded; empty before any revision of it loaded.
     * Every cluster call of a sync asks, so the revision is read once per head, not per call.
     */
    public Optional<EnvironmentSpec> spec(String environment) {
        Optional<Revision> head = watcher.current();
        Known last = known.get(environment);
        if (head.isPresent() && (last == null || !last.head().equals(head.get()))
                && watcher.environments().contains(environment)) {
            EnvironmentSpec read = revisions.read(environment, head.get()).environment();
            last = new Known(head.get(), read != null ? read : last == null ? null : last.spec());
            known.put(environment, last);
        }
        return Optional.ofNullable(last).map(Known::spec);
    }
}
