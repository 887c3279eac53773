package ai.treum.gitops.adapter.git;

import ai.treum.gitops.config.GitopsConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the desired-state repository from the daemon's configuration. */
public class GitProducers {

    @Produces
    @Singleton
    GitRepository repository(GitopsConfig config) {
        GitopsConfig.Git git = config.git();
        GitCredentials credentials = new GitCredentials(git.username(), git.tokenFile(), git.sshKeyFile(),
                git.sshKnownHostsFile(), config.dataDir().resolve("ssh"));
        return new GitRepository(git.url(), git.branch(), git.path(), config.dataDir().resolve("repository.git"),
                credentials, (int) git.timeout().toSeconds());
    }

    void close(@Disposes GitRepository repository) {
        repository.close();
    }
}
