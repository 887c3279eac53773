package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads one environment at one revision from the desired-state source. */
@ApplicationScoped
public class RevisionReader {

    private final DesiredStateSource source;
    private final String environmentsPath;

    RevisionReader(DesiredStateSource source, GitopsConfig config) {
        this.source = source;
        this.environmentsPath = config.git().path();
    }

    /** The environment's alert rule files ({@code alerts/}) at a revision. */
    public List<SourceFile> alerts(String environment, Revision revision) {
        String folder = environmentsPath + "/" + environment + "/alerts/";
        return source.files(revision, environment).stream().filter(f -> f.path().startsWith(folder))
                .filter(SourceFile::yaml).toList();
    }

    public EnvironmentRevision read(String environment, Revision revision) {
        return EnvironmentRevision.read(environment, environmentsPath + "/" + environment,
                source.files(revision, environment));
    }
}
