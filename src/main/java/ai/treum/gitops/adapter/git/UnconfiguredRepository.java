package ai.treum.gitops.adapter.git;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The desired state when no repository is configured: the command line's offline tools need none. */
final class UnconfiguredRepository implements DesiredStateSource {

    @Override
    public Revision fetch() throws SourceUnavailableException {
        throw new SourceUnavailableException("treum-gitops.git.url is not set", null);
    }

    @Override
    public List<String> environments(Revision revision) {
        return List.of();
    }

    @Override
    public List<SourceFile> files(Revision revision, String environment) {
        return List.of();
    }

    @Override
    public Optional<SourceFile> environmentFile(Revision revision, String environment) {
        return Optional.empty();
    }

    @Override
    public List<SourceFile> policies(Revision revision) {
        return List.of();
    }

    @Override
    public Set<String> changedEnvironments(Revision from, Revision to) {
        return Set.of();
    }

    @Override
    public Revision restore(String environment, Revision head, Revision healthy, String message)
            throws SourceUnavailableException {
        throw new SourceUnavailableException("treum-gitops.git.url is not set", null);
    }
}
