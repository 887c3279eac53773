package ai.treum.gitops.adapter.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.peers.GitAuthor;
import ai.treum.gitops.peers.GitHttpServer;
import ai.treum.gitops.peers.SshGitServer;
import ai.treum.gitops.port.DesiredStateSource.SourceUnavailableException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desired-state repository over real smart HTTP with a token, and over file URLs. */
@Tag("peer")
class GitRepositoryTest {

    private static final String TOKEN = "glpat-test-token-7f3a9c";

    @TempDir
    Path tmp;
    private GitHttpServer host;
    private URI url;
    private GitAuthor author;

    @BeforeEach
    void hostWithTwoEnvironments() throws Exception {
        host = GitHttpServer.start(Files.createDirectories(tmp.resolve("served")), TOKEN);
        url = host.createRepository("desired");
        author = GitAuthor.clone(url, tmp.resolve("author"), TOKEN);
        author.write("environments/production/environment.yaml", environment("production"))
                .write("environments/production/kubernetes/app.yaml", configMap("app", "1"))
                .write("environments/staging/environment.yaml", environment("staging"))
                .write("environments/staging/kubernetes/app.yaml", configMap("app", "1"))
                .write("README.md", "not desired state\n");
    }

    @AfterEach
    void stop() throws Exception {
        author.close();
        host.close();
    }

    @Test
    void readsEnvironmentsAtExactRevisionsAndSaysWhichOnesACommitTouched() throws Exception {
        String first = author.commitAndPush("two environments");
        try (GitRepository repository = repository(url.toString(), TOKEN)) {
            Revision rev1 = repository.fetch();
            assertThat(rev1.sha()).isEqualTo(first);
            assertThat(repository.environments(rev1)).containsExactly("production", "staging");
            assertThat(repository.files(rev1, "staging")).extracting(SourceFile::path).containsExactlyInAnyOrder(
                    "environments/staging/environment.yaml", "environments/staging/kubernetes/app.yaml");
            assertThat(repository.environmentFile(rev1, "staging")).map(SourceFile::path)
                    .contains("environments/staging/environment.yaml");
            assertThat(repository.environmentFile(rev1, "staging").orElseThrow().content()).contains("name: staging");
            assertThat(repository.environmentFile(rev1, "qa")).isEmpty();

            author.write("environments/staging/kubernetes/app.yaml", configMap("app", "2")).write("README.md", "x\n");
            Revision rev2 = new Revision(author.commitAndPush("staging only"));
            assertThat(repository.fetch()).isEqualTo(rev2);

            assertThat(repository.changedEnvironments(rev1, rev2))
                    .withFailMessage("a commit touching only staging must not resync production")
                    .containsExactly("staging");
            assertThat(content(repository, rev1, "environments/staging/kubernetes/app.yaml")).contains("VERSION: \"1\"");
            assertThat(content(repository, rev2, "environments/staging/kubernetes/app.yaml")).contains("VERSION: \"2\"");
        }
    }

    @Test
    void policiesAreReadAtTheRevisionAndAChangeToThemTouchesEveryEnvironment() throws Exception {
        author.commitAndPush("two environments");
        try (GitRepository repository = repository(url.toString(), TOKEN)) {
            Revision before = repository.fetch();
            assertThat(repository.policies(before)).isEmpty();

            author.write("policies/floor.yaml", "kind: ValidatingAdmissionPolicy\n");
            Revision after = new Revision(author.commitAndPush("a policy"));
            assertThat(repository.fetch()).isEqualTo(after);
            assertThat(repository.policies(after)).extracting(SourceFile::path).containsExactly("policies/floor.yaml");
            assertThat(repository.changedEnvironments(before, after)).containsExactly("production", "staging");
        }
    }

    @Test
    void aSharedBaseOrChartComesWithEveryEnvironmentAndAChangeToItTouchesThemAll() throws Exception {
        author.write("environments/base/kubernetes/kustomization.yaml", "resources: [app.yaml]\n")
                .write("environments/charts/tool/templates/_helpers.tpl", "{{- define \"tool.name\" -}}tool{{- end }}\n")
                .write("environments/staging/values/tool.txt", "not YAML, read for the renderers\n");
        author.commitAndPush("a base, a chart");
        try (GitRepository repository = repository(url.toString(), TOKEN)) {
            Revision before = repository.fetch();
            assertThat(repository.environments(before)).containsExactly("production", "staging");
            assertThat(repository.files(before, "staging")).extracting(SourceFile::path).containsExactlyInAnyOrder(
                    "environments/staging/environment.yaml", "environments/staging/kubernetes/app.yaml",
                    "environments/staging/values/tool.txt", "environments/base/kubernetes/kustomization.yaml",
                    "environments/charts/tool/templates/_helpers.tpl");
            assertThat(repository.files(before, "production")).extracting(SourceFile::path)
                    .doesNotContain("environments/staging/values/tool.txt")
                    .contains("environments/base/kubernetes/kustomization.yaml");

            author.write("environments/base/kubernetes/kustomization.yaml", "resources: [app.yaml, more.yaml]\n");
            Revision after = new Revision(author.commitAndPush("the base changes"));
            assertThat(repository.fetch()).isEqualTo(after);
            assertThat(repository.changedEnvironments(before, after)).containsExactly("production", "staging");
        }
    }

    @Test
    void restoringAnEnvironmentPushesAFastForwardCommitThatTouchesOnlyItsFolder() throws Exception {
        Revision healthy = new Revision(author.commitAndPush("two environments"));
        author.write("environments/production/kubernetes/app.yaml", configMap("app", "2"))
                .write("environments/production/kubernetes/extra.yaml", configMap("extra", "1"))
                .write("environments/staging/kubernetes/app.yaml", configMap("app", "2"));
        Revision failed = new Revision(author.commitAndPush("both to 2"));
        try (GitRepository repository = repository(url.toString(), TOKEN)) {
            assertThat(repository.fetch()).isEqualTo(failed);
            Revision pushed = repository.restore("production", failed, healthy, "Roll back production\n");

            assertThat(repository.fetch()).isEqualTo(pushed);
            try (Repository served = host.open("desired"); RevWalk walk = new RevWalk(served)) {
                RevCommit commit = walk.parseCommit(served.resolve("refs/heads/main"));
                assertThat(commit.getName()).isEqualTo(pushed.sha());
                assertThat(commit.getParent(0).getName()).isEqualTo(failed.sha());
                assertThat(commit.getFullMessage()).isEqualTo("Roll back production\n");
                assertThat(commit.getAuthorIdent().getName()).isEqualTo("treum-gitops");
                assertThat(TreeWalk.forPath(served, "README.md", commit.getTree())).as("paths outside environments/").isNotNull();
            }
            assertThat(repository.files(pushed, "production")).isEqualTo(repository.files(healthy, "production"));
            assertThat(repository.files(pushed, "staging")).isEqualTo(repository.files(failed, "staging"));
            assertThat(repository.changedEnvironments(failed, pushed)).containsExactly("production");

            // the branch is past the failed revision now: restoring on top of it again is refused
            assertThatThrownBy(() -> repository.restore("production", failed, healthy, "too late\n"))
                    .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("REJECTED_NONFASTFORWARD");
            try (Repository served = host.open("desired")) {
                assertThat(served.resolve("refs/heads/main").getName()).isEqualTo(pushed.sha());
            }
        }
    }

    @Test
    void aRestartedDaemonReusesItsCloneAndFetchesOnlyWhatIsNew() throws Exception {
        author.commitAndPush("two environments");
        try (GitRepository repository = repository(url.toString(), TOKEN)) {
            repository.fetch();
        }
        String second = author.commitAndPush("nothing changed but a commit");
        try (GitRepository restarted = repository(url.toString(), TOKEN)) {
            assertThat(restarted.fetch().sha()).isEqualTo(second);
        }
    }

    @Test
    void aWrongTokenIsRefusedAndTheErrorNeverShowsATokenOrCredentials() throws Exception {
        author.commitAndPush("two environments");
        try (GitRepository repository = repository("http://someone:url-secret@" + url.getAuthority() + url.getPath(),
                "wrong-token")) {
            assertThatThrownBy(repository::fetch).isInstanceOf(SourceUnavailableException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("not authorized")
                            .doesNotContain("url-secret").doesNotContain("wrong-token").doesNotContain("someone"));
        }
    }

    @Test
    void aTransferPastItsLimitIsGivenUpOnWholeNotOnlyPerRead() throws Exception {
        String sha = author.commitAndPush("two environments");
        Path tokenFile = Files.writeString(tmp.resolve("token-limit"), TOKEN + "\n");
        GitCredentials credentials = new GitCredentials("x-access-token", Optional.of(tokenFile), Optional.empty(),
                Optional.empty(), tmp.resolve("ssh"));
        try (GitRepository spent = new GitRepository(url.toString(), "main", "environments", "policies",
                tmp.resolve("limited-clone"), credentials, 10, Duration.ZERO, GitRepository.ReadLimits.defaults())) {
            assertThatThrownBy(spent::fetch).isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("cancel");
        }
        try (GitRepository timely = new GitRepository(url.toString(), "main", "environments", "policies",
                tmp.resolve("timely-clone"), credentials, 10, Duration.ofMinutes(1), GitRepository.ReadLimits.defaults())) {
            assertThat(timely.fetch().sha()).isEqualTo(sha);
        }
    }

    @Test
    void anUnreachableHostIsUnavailableNotACrash() throws Exception {
        try (GitRepository repository = repository("http://127.0.0.1:1/git/desired.git", TOKEN)) {
            assertThatThrownBy(repository::fetch).isInstanceOf(SourceUnavailableException.class);
        }
    }

    @Test
    void fileUrlsWork() throws Exception {
        String sha = author.commitAndPush("two environments");
        try (GitRepository repository = new GitRepository(tmp.resolve("served/desired.git").toUri().toString(), "main",
                "environments", tmp.resolve("file-clone"), GitCredentials.none(tmp.resolve("ssh")), 10)) {
            assertThat(repository.fetch().sha()).isEqualTo(sha);
        }
    }

    @Test
    void sshUrlsWorkWithAKeyAndATrustedHostKeyOnly() throws Exception {
        String sha = author.commitAndPush("two environments");
        try (SshGitServer ssh = SshGitServer.start(tmp.resolve("sshd"))) {
            String remote = ssh.url(tmp.resolve("served/desired.git")).toString();
            try (GitRepository repository = new GitRepository(remote, "main", "environments", tmp.resolve("ssh-clone"),
                    new GitCredentials("git", Optional.empty(), Optional.of(ssh.clientKey()),
                            Optional.of(ssh.knownHosts()), tmp.resolve("ssh-home")), 10)) {
                assertThat(repository.fetch().sha()).isEqualTo(sha);
                assertThat(repository.environments(new Revision(sha))).containsExactly("production", "staging");
            }
            Path strangers = Files.writeString(tmp.resolve("other_known_hosts"), "");
            try (GitRepository untrusting = new GitRepository(remote, "main", "environments", tmp.resolve("ssh-clone-2"),
                    new GitCredentials("git", Optional.empty(), Optional.of(ssh.clientKey()), Optional.of(strangers),
                            tmp.resolve("ssh-home-2")), 10)) {
                assertThatThrownBy(untrusting::fetch)
                        .withFailMessage("a host whose key is not in known_hosts must not be trusted")
                        .isInstanceOf(SourceUnavailableException.class)
                        .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("key"));
            }
        }
    }

    private GitRepository repository(String remote, String token) throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("token-" + token.hashCode()), token + "\n");
        return new GitRepository(remote, "main", "environments", tmp.resolve("clone"),
                new GitCredentials("x-access-token", Optional.of(tokenFile), Optional.empty(), Optional.empty(),
                        tmp.resolve("ssh")), 10);
    }

    private static String content(GitRepository repository, Revision revision, String path) {
        return repository.files(revision, path.split("/")[1]).stream().filter(f -> f.path().equals(path))
                .findFirst().orElseThrow().content();
    }

    static String environment(String name) {
        return "apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\nmetadata:\n  name: " + name
                + "\nspec:\n  namespace: treum-" + name + "\n";
    }

    static String configMap(String name, String version) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  VERSION: \"" + version + "\"\n";
    }
}
