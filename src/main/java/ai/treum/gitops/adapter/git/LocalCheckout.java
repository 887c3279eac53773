package ai.treum.gitops.adapter.git;

import ai.treum.gitops.core.load.EnvironmentsTree;
import ai.treum.gitops.core.load.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The Git repository a command-line user has checked out, read without a clone: which commit is
 * checked out, and an environment's files at another commit (the healthy revision a rollout
 * renders against), as {@code plan} needs them to show what the sync would do.
 */
public final class LocalCheckout {

    private LocalCheckout() {
    }

    /** The commit checked out in the repository holding {@code folder}; empty outside a Git work tree. */
    public static Optional<String> head(Path folder) {
        try (Repository repo = open(folder)) {
            ObjectId head = repo.resolve(Constants.HEAD);
            return Optional.ofNullable(head).map(ObjectId::name);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The files of one environment of {@code environments} and of the shared folders beside it
     * (those without environment.yaml) at a commit, with paths as {@code environments} is given;
     * empty when the commit is not in the repository (a shallow clone) or there is no repository.
     */
    public static Optional<List<SourceFile>> files(Path environments, String environment, String sha) {
        try (Repository repo = open(environments); RevWalk revs = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
            Path workTree = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            String prefix = workTree.relativize(environments.toAbsolutePath().normalize()).toString().replace('\\', '/');
            walk.addTree(revs.parseCommit(ObjectId.fromString(sha)).getTree());
            walk.setRecursive(true);
            if (!prefix.isEmpty()) {
                walk.setFilter(PathFilter.create(prefix));
            }
            List<String> paths = new ArrayList<>();
            List<ObjectId> blobs = new ArrayList<>();
            Set<String> environmentFolders = new HashSet<>();
            while (walk.next()) {
                String relative = prefix.isEmpty() ? walk.getPathString() : walk.getPathString().substring(prefix.length() + 1);
                EnvironmentsTree.declared(relative).ifPresent(environmentFolders::add);
                paths.add(relative);
                blobs.add(walk.getObjectId(0));
            }
            List<SourceFile> files = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                if (EnvironmentsTree.readWith(paths.get(i), environment, environmentFolders)) {
                    byte[] content = repo.open(blobs.get(i), Constants.OBJ_BLOB).getBytes();
                    files.add(new SourceFile(environments.resolve(paths.get(i)).toString(),
                            new String(content, StandardCharsets.UTF_8)));
                }
            }
            return Optional.of(files);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Commits files on a new branch from the checked-out commit, and leaves that branch checked
     * out, for a person to push and propose. Refuses when the branch exists or a file to commit
     * has changes of its own not yet committed.
     *
     * @param files the files to write, by their path; they are written, added and committed
     * @return the new commit
     */
    public static String commitOnNewBranch(Path folder, String branch, Map<Path, String> files, String message)
            throws IOException {
        try (Repository repo = open(folder); Git git = new Git(repo)) {
            if (repo.findRef(Constants.R_HEADS + branch) != null) {
                throw new IOException("branch " + branch + " exists already");
            }
            Path workTree = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            Status status = git.status().call();
            for (Path file : files.keySet()) {
                String path = workTree.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
                if (status.getUncommittedChanges().contains(path) || status.getUntracked().contains(path)) {
                    throw new IOException(path + " has changes not committed; commit or stash them first");
                }
            }
            git.checkout().setCreateBranch(true).setName(branch).call();
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Files.createDirectories(file.getKey().toAbsolutePath().getParent());
                Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
                git.add().addFilepattern(workTree.relativize(file.getKey().toAbsolutePath().normalize()).toString()
                        .replace('\\', '/')).call();
            }
            return git.commit().setMessage(message).setSign(false).call().name();
        } catch (GitAPIException e) {
            throw new IOException("cannot commit on " + branch + ": " + e.getMessage(), e);
        }
    }

    private static Repository open(Path folder) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(folder.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            throw new IllegalArgumentException("no Git repository holds " + folder);
        }
        return builder.setMustExist(true).build();
    }
}
