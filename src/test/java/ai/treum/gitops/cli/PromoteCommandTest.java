package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.promotion.Images;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.peers.Renderers;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promote} on a checkout of the bundled environments: staging's new API image, proposed for production. */
@QuarkusMainTest
@Tag("peer")
class PromoteCommandTest {

    private static final String API = "registry.treum.ai/treum/treum-api";

    @Test
    void stagingsImagesBecomeACommitOnANewBranchThatProductionRenders(QuarkusMainLauncher launcher, @TempDir Path repo)
            throws Exception {
        for (String folder : new String[] {"base", "staging", "production"}) {
            copy(Path.of("environments", folder), repo.resolve("environments").resolve(folder));
        }
        Path staging = repo.resolve("environments/staging/kubernetes/kustomization.yaml");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            commit(git, "the bundled environments");
            Files.writeString(staging, Files.readString(staging) + "images:\n  - {name: " + API + ", newTag: 1.9.0}\n");
            String before = commit(git, "staging runs the API 1.9.0");

            LaunchResult promoted = launcher.launch("promote", "--from", "staging", "--to", "production", "--dir",
                    repo.resolve("environments").toString());

            assertThat(promoted.exitCode()).withFailMessage(promoted.getOutput() + promoted.getErrorOutput()).isZero();
            String branch = "promote/staging-to-production-" + before.substring(0, 12);
            assertThat(promoted.getOutput()).contains("promoted to production on branch " + branch, API + ":1.9.0");
            assertThat(git.getRepository().getBranch()).isEqualTo(branch);
            RevCommit commit = git.log().setMaxCount(1).call().iterator().next();
            assertThat(commit.getParent(0).getName()).isEqualTo(before);
            assertThat(commit.getFullMessage()).startsWith("Promote staging's images to production");
            assertThat(git.status().call().isClean()).isTrue();
            assertThat(Files.readString(repo.resolve("environments/production/kubernetes/promoted/kustomization.yaml")))
                    .contains("- name: " + API + "\n    newTag: \"1.9.0\"");
            EnvironmentRevision production = EnvironmentFolder.read("production", repo.resolve("environments/production"),
                    Boundary.of("treum-gitops"), Renderers.processes());
            assertThat(Images.of(production.kubernetes())).contains(API + ":1.9.0").doesNotContain(API + ":1.8.0");

            LaunchResult again = launcher.launch("promote", "--from", "staging", "--to", "production", "--dir",
                    repo.resolve("environments").toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.getOutput()).contains("nothing to promote");
        }
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("t", "t@treum.ai").setCommitter("t", "t@treum.ai").setSign(false)
                .call().name();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }
}
