package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import ai.treum.gitops.port.ManifestRenderer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads one environment at one revision from the desired-state source. A revision never changes,
 * so the reads of the last two revisions of each environment (Git's head and, during a rollout,
 * the healthy one) are kept: the sync, the apply, the health refresh and the AWS, alert and
 * backup checks all ask for the same one, and at thousands of objects parsing is most of a
 * reconcile. A commit that leaves the environment's folder as it was reuses the earlier read. A
 * read in progress is waited for, not repeated: a new commit wakes the sync and the AWS check at
 * once. Readers treat the objects as read-only (the sync stamps copies).
 */
@ApplicationScoped
public class RevisionReader implements PerEnvironmentState {

    private static final int KEPT_PER_ENVIRONMENT = 2;

    private record Kept(Revision revision, EnvironmentRevision read) {
    }

    private final DesiredStateSource source;
    private final ManifestRenderer renderer;
    private final String environmentsPath;
    private final Boundary boundary;
    private final Map<String, List<Kept>> kept = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    @Inject
    RevisionReader(DesiredStateSource source, ManifestRenderer renderer, GitopsConfig config) {
        this(source, renderer, config.git().path(), config.boundary(config.namespace()));
    }

    RevisionReader(DesiredStateSource source, ManifestRenderer renderer, String environmentsPath, Boundary boundary) {
        this.source = source;
        this.renderer = renderer;
        this.environmentsPath = environmentsPath;
        this.boundary = boundary;
    }

    /** The environment's alert rule files ({@code alerts/}) at a revision. */
    public List<SourceFile> alerts(String environment, Revision revision) {
        String folder = environmentsPath + "/" + environment + "/alerts/";
        return source.files(revision, environment).stream().filter(f -> f.path().startsWith(folder))
                .filter(SourceFile::yaml).toList();
    }

    public EnvironmentRevision read(String environment, Revision revision) {
        synchronized (locks.computeIfAbsent(environment, e -> new Object())) {
            return readOnce(environment, revision);
        }
    }

    @Override
    public void retain(Set<String> environments) {
        kept.keySet().retainAll(environments);
        locks.keySet().retainAll(environments);
    }

    private EnvironmentRevision readOnce(String environment, Revision revision) {
        List<Kept> known = kept.getOrDefault(environment, List.of());
        for (Kept read : known) {
            if (read.revision().equals(revision)) {
                return read.read();
            }
        }
        EnvironmentRevision read = known.stream()
                .filter(k -> !source.changedEnvironments(k.revision(), revision).contains(environment))
                .findFirst().map(Kept::read)
                .orElseGet(() -> EnvironmentRevision.read(environment, environmentsPath + "/" + environment,
                        source.files(revision, environment), boundary, renderer::render));
        List<Kept> next = new ArrayList<>();
        next.add(new Kept(revision, read));
        known.stream().limit(KEPT_PER_ENVIRONMENT - 1).forEach(next::add);
        kept.put(environment, List.copyOf(next));
        return read;
    }
}
