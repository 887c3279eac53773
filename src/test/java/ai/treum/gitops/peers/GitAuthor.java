package ai.treum.gitops.peers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** Someone changing the desired state: edits files in a clone, commits and pushes to the host. */
public final class GitAuthor implements AutoCloseable {

    private final Git git;
    private final Path dir;
    private final UsernamePasswordCredentialsProvider credentials;

    private GitAuthor(Git git, Path dir, UsernamePasswordCredentialsProvider credentials) {
        this.git = git;
        this.dir = dir;
        this.credentials = credentials;
    }

    public static GitAuthor clone(URI url, Path dir, String token) throws GitAPIException {
        var credentials = new UsernamePasswordCredentialsProvider("author", token == null ? "" : token);
        return new GitAuthor(Git.cloneRepository().setURI(url.toString()).setDirectory(dir.toFile())
                .setCredentialsProvider(credentials).call(), dir, credentials);
    }

    /** The work tree, for writers that take a folder. */
    public Path dir() {
        return dir;
    }

    public GitAuthor write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public GitAuthor delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    /** Commits everything changed and pushes it to main; returns the commit's SHA. */
    public String commitAndPush(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        String sha = git.commit().setMessage(message).setAuthor("author", "author@treum.ai")
                .setCommitter("author", "author@treum.ai").call().getName();
        git.push().setCredentialsProvider(credentials).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
        return sha;
    }

    @Override
    public void close() {
        git.close();
    }
}
