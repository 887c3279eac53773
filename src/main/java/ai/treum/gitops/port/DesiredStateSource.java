package ai.treum.gitops.port;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.Revision;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The Git repository of desired state, read at exact revisions. */
public interface DesiredStateSource {

    /** Fetches the tracked branch and returns its head. */
    Revision fetch() throws SourceUnavailableException;

    /** The environments at a revision: every folder with an environment.yaml. */
    List<String> environments(Revision revision);

    /** Every file of one environment's folder at a revision, paths relative to the repository root. */
    List<SourceFile> files(Revision revision, String environment);

    /** One environment's environment.yaml at a revision, without reading the rest of its folder. */
    Optional<SourceFile> environmentFile(Revision revision, String environment);

    /** Every file of the policies folder at a revision, paths relative to the repository root. */
    List<SourceFile> policies(Revision revision);

    /** The environments whose folders differ between two revisions; all of them when the policies differ. */
    Set<String> changedEnvironments(Revision from, Revision to);

    /**
     * Pushes to the tracked branch a commit on top of {@code head} that restores the environment's
     * folder as it was at {@code healthy}, leaving every other path as {@code head} has it. Only
     * a fast-forward: when the branch has moved past {@code head}, nothing is pushed.
     *
     * @return the commit pushed
     */
    Revision restore(String environment, Revision head, Revision healthy, String message) throws SourceUnavailableException;

    /** The repository cannot be reached or read; worth a retry with backoff. */
    final class SourceUnavailableException extends Exception {

        public SourceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
