package ai.treum.gitops.adapter.git;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.peers.GitHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGit against a Git host speaking real smart HTTP on loopback. */
@Tag("peer")
class GitSmartHttpTest {

    @Test
    void cloneCommitAndPushOverSmartHttp(@TempDir Path tmp) throws Exception {
        try (GitHttpServer host = GitHttpServer.start(Files.createDirectories(tmp.resolve("served")))) {
            var url = host.createRepository("desired-state");

            ObjectId pushed;
            try (Git author = Git.cloneRepository().setURI(url.toString()).setDirectory(tmp.resolve("author").toFile())
                    .call()) {
                Path environment = tmp.resolve("author/environments/staging/environment.yaml");
                Files.createDirectories(environment.getParent());
                Files.writeString(environment, "apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\n");
                author.add().addFilepattern("environments").call();
                RevCommit commit = author.commit().setMessage("Add staging").setAuthor("ci", "ci@treum.ai")
                        .setCommitter("ci", "ci@treum.ai").call();
                Iterable<PushResult> results = author.push().setRemote("origin")
                        .setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
                assertThat(results).flatExtracting(PushResult::getRemoteUpdates)
                        .extracting(RemoteRefUpdate::getStatus)
                        .withFailMessage("the host must accept the push")
                        .containsExactly(RemoteRefUpdate.Status.OK);
                pushed = commit.getId();
            }

            try (Repository served = host.open("desired-state")) {
                assertThat(served.resolve("refs/heads/main")).isEqualTo(pushed);
            }
            try (Git reader = Git.cloneRepository().setURI(url.toString()).setDirectory(tmp.resolve("reader").toFile())
                    .call()) {
                assertThat(reader.getRepository().resolve("HEAD")).isEqualTo(pushed);
                assertThat(tmp.resolve("reader/environments/staging/environment.yaml")).exists();
            }
        }
    }
}
