package ai.treum.gitops.adapter.git;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.DesiredStateSource;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the desired-state repository from the daemon's configuration. */
public class GitProducers {

    @Produces
    @Singleton
    DesiredStateSource repository(GitopsConfig config) {
        GitopsConfig.Git git = config.git();
        if (git.url().isEmpty()) {
            return new UnconfiguredRepository();
        }
        GitCredentials credentials = new GitCredentials(git.username(), git.tokenFile(), git.sshKeyFile(),
                git.sshKnownHostsFile(), config.dataDir().resolve("ssh"));
        return new GitRepository(git.url().get(), git.branch(), git.path(), git.policiesPath(),
                config.dataDir().resolve("repository.git"),
                credentials, (int) git.timeout().toSeconds(), git.transferLimit(),
                new GitRepository.ReadLimits(git.maxFileBytes(), git.maxFolderBytes()));
    }

    void close(@Disposes DesiredStateSource repository) {
        if (repository instanceof GitRepository git) {
            git.close();
        }
    }
}
