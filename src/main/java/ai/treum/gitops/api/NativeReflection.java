package ai.treum.gitops.api;

import ai.treum.gitops.model.HistoryRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection that the Quarkus extensions do not register:
 * bodies the REST layer only meets inside a {@code Response} (so it cannot see their type), and
 * JGit's message bundles, whose fields JGit fills by reflection. fabric8's model is registered by
 * the kubernetes-client extension, and the AWS SDK ships its own native-image configuration. The
 * bundles' .properties files are included by {@code quarkus.native.resources.includes}.
 */
@RegisterForReflection(targets = {Problem.class, EnvironmentView.class, EnvironmentView.ShardView.class,
        EnvironmentView.BackupView.class, EnvironmentView.AlertsView.class, EnvironmentView.RolloutView.class,
        EnvironmentView.RollbackView.class, EnvironmentView.AwsView.class, EnvironmentView.LastSync.class,
        EnvironmentView.ChangeView.class, EnvironmentView.DriftView.class, EnvironmentView.ObjectHealthView.class,
        EnvironmentView.PolicyResult.class, HistoryView.class, HistoryRecord.class},
        classNames = {"org.eclipse.jgit.internal.JGitText", "org.eclipse.jgit.internal.transport.sshd.SshdText"})
final class NativeReflection {

    private NativeReflection() {
    }
}
