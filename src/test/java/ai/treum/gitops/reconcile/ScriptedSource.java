package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in repository for the units that only read Git: its head, environments and changes are
 * what the test sets, each environment a bare environment.yaml. The Git adapter itself is tested
 * against a real Git host (GitRepositoryTest).
 */
class ScriptedSource implements DesiredStateSource {
    Revision head;
    List<String> environments = List.of("production", "staging");
    Set<String> changed = Set.of();
    boolean failing;
    volatile int fetches;
    /** What a fetch does before it answers, to hold one in progress. */
    volatile Blocking whileFetching = () -> { };

    @FunctionalInterface
    interface Blocking {
        void run() throws InterruptedException;
    }

    @Override
    public Revision fetch() throws SourceUnavailableException {
        fetches++;
        try {
            whileFetching.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing) {
            throw new SourceUnavailableException("cannot fetch http://git.test/desired.git: connection refused", null);
        }
        return head;
    }

    @Override
    public List<String> environments(Revision revision) {
        return environments;
    }

    @Override
    public List<SourceFile> files(Revision revision, String environment) {
        return List.of(new SourceFile("environments/" + environment + "/environment.yaml",
                "apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\nmetadata:\n  name: " + environment
                        + "\nspec:\n  namespace: treum-" + environment + "\n  sync:\n    interval: 60s\n"));
    }

    @Override
    public Optional<SourceFile> environmentFile(Revision revision, String environment) {
        return files(revision, environment).stream().findFirst();
    }

    @Override
    public List<SourceFile> policies(Revision revision) {
        return List.of();
    }

    @Override
    public Set<String> changedEnvironments(Revision from, Revision to) {
        return changed;
    }

    @Override
    public Revision restore(String environment, Revision head, Revision healthy, String message) {
        throw new UnsupportedOperationException("reading units never write to Git");
    }
}
