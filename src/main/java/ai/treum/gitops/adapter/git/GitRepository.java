package ai.treum.gitops.adapter.git;

import ai.treum.gitops.core.load.EnvironmentsTree;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.DesiredStateSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * The desired-state repository through JGit: a bare clone of one branch, fetched on demand, read
 * at exact commits straight from the object database (no checkout, so a half-written working
 * tree can never be applied). Works over https, ssh and file URLs.
 */
public final class GitRepository implements DesiredStateSource, AutoCloseable {


    private final String url;
    private final String branch;
    private final String environmentsPath;
    private final String policiesPath;
    private final Path cloneDir;
    private final GitCredentials credentials;
    private final int timeoutSeconds;
    private final Duration transferLimit;
    private final ReadLimits limits;
    private Git git;

    /**
     * How much of a revision is read: a file over {@code fileBytes}, or the files of one folder
     * (an environment's, the policies') past {@code folderBytes} together, are refused by size
     * before their content is read, each as a load error of its own file.
     */
    public record ReadLimits(long fileBytes, long folderBytes) {

        /** 1 MiB a file, 32 MiB a folder: thousands of manifests, and still a small heap. */
        public static ReadLimits defaults() {
            return new ReadLimits(1L << 20, 32L << 20);
        }
    }

    /** With the policies in {@code policies/} at the repository root, and a transfer limit of ten minutes. */
    public GitRepository(String url, String branch, String environmentsPath, Path cloneDir, GitCredentials credentials,
            int timeoutSeconds) {
        this(url, branch, environmentsPath, "policies", cloneDir, credentials, timeoutSeconds, Duration.ofMinutes(10),
                ReadLimits.defaults());
    }

    /**
     * @param timeoutSeconds the longest wait for any one read from the remote
     * @param transferLimit  the longest a clone, fetch or push may take in all: a remote that
     *                       trickles bytes just fast enough to beat the read timeout is given up on
     */
    public GitRepository(String url, String branch, String environmentsPath, String policiesPath, Path cloneDir,
            GitCredentials credentials, int timeoutSeconds, Duration transferLimit, ReadLimits limits) {
        this.limits = limits;
        this.transferLimit = transferLimit;
        this.url = url;
        this.branch = branch;
        this.environmentsPath = environmentsPath.replaceAll("/+$", "");
        this.policiesPath = policiesPath.replaceAll("/+$", "");
        this.cloneDir = cloneDir;
        this.credentials = credentials;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The remote, safe to log. */
    public String describe() {
        return Redactions.url(url) + " branch " + branch + " path " + environmentsPath;
    }

    @Override
    public synchronized Revision fetch() throws SourceUnavailableException {
        String ref = "refs/heads/" + branch;
        try {
            if (git == null && Files.exists(cloneDir.resolve("HEAD"))) {
                git = Git.open(cloneDir.toFile());
            }
            if (git == null) {
                Files.createDirectories(cloneDir.getParent());
                git = credentials.applyTo(Git.cloneRepository().setURI(url).setDirectory(cloneDir.toFile())
                        .setBare(true).setBranch(ref).setBranchesToClone(List.of(ref)).setTimeout(timeoutSeconds)
                        .setProgressMonitor(new Deadline(transferLimit)).setFs(FS.DETECTED)).call();
            } else {
                credentials.applyTo(git.fetch().setRemote(url).setRefSpecs(new RefSpec("+" + ref + ":" + ref))
                        .setTimeout(timeoutSeconds).setProgressMonitor(new Deadline(transferLimit))).call();
            }
            ObjectId head = git.getRepository().resolve(ref);
            if (head == null) {
                throw new SourceUnavailableException("branch " + branch + " does not exist in " + Redactions.url(url), null);
            }
            return new Revision(head.name());
        } catch (GitAPIException | IOException | UncheckedIOException e) {
            // JGit quotes the URL it used, user-info and all
            throw new SourceUnavailableException("cannot fetch " + describe() + ": " + Redactions.urlsIn(e.getMessage()),
                    null);
        }
    }

    @Override
    public synchronized Revision restore(String environment, Revision head, Revision healthy, String message)
            throws SourceUnavailableException {
        String ref = "refs/heads/" + branch;
        try {
            ObjectId commit = RestoringCommit.build(git.getRepository(), ObjectId.fromString(head.sha()),
                    ObjectId.fromString(healthy.sha()), environmentsPath + "/" + environment, message);
            Iterable<PushResult> results = credentials.applyTo(git.push().setRemote(url)
                    .setRefSpecs(new RefSpec(commit.name() + ":" + ref)).setTimeout(timeoutSeconds)
                    .setProgressMonitor(new Deadline(transferLimit))).call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(ref);
                if (update == null || update.getStatus() != RemoteRefUpdate.Status.OK) {
                    throw new SourceUnavailableException("push of " + new Revision(commit.name()).shortSha() + " to "
                            + describe() + " refused: " + (update == null ? "no result" : update.getStatus() + " "
                                    + String.valueOf(update.getMessage())), null);
                }
            }
            return new Revision(commit.name());
        } catch (GitAPIException | IOException | UncheckedIOException e) {
            throw new SourceUnavailableException("cannot push to " + describe() + ": " + Redactions.urlsIn(e.getMessage()),
                    null);
        }
    }

    @Override
    public List<String> environments(Revision revision) {
        List<String> names = new ArrayList<>();
        walk(revision, environmentsPath, (path, walk) ->
                EnvironmentsTree.declared(path.substring(environmentsPath.length() + 1)).ifPresent(names::add));
        return names;
    }

    @Override
    public List<SourceFile> files(Revision revision, String environment) {
        Set<String> environments = Set.copyOf(environments(revision));
        return read(revision, environmentsPath, path -> EnvironmentsTree.readWith(
                path.substring(environmentsPath.length() + 1), environment, environments), true);
    }

    @Override
    public Optional<SourceFile> environmentFile(Revision revision, String environment) {
        String file = environmentsPath + "/" + environment + "/" + EnvironmentsTree.ENVIRONMENT_FILE;
        return read(revision, file, path -> true, false).stream().findFirst();
    }

    /**
     * The files of a folder that {@code include} takes: YAML files, or every file where a renderer
     * reads them (chart templates, kustomize generator inputs). Only regular files are read, and
     * only within the limits, each checked by its size before its content is loaded; a symbolic
     * link, a submodule or a file over a limit comes back refused, for the loader to report on that file.
     */
    private List<SourceFile> read(Revision revision, String folder, Predicate<String> include, boolean everyFile) {
        List<SourceFile> files = new ArrayList<>();
        long[] total = {0};
        walk(revision, folder, (path, walk) -> {
            if (!include.test(path) || !everyFile && !path.endsWith(".yaml") && !path.endsWith(".yml")) {
                return;
            }
            FileMode mode = walk.getFileMode(0);
            if (mode == FileMode.SYMLINK) {
                files.add(SourceFile.refused(path, "symlink", "a symbolic link is not followed; put the file itself here"));
                return;
            }
            if (mode == FileMode.GITLINK) {
                files.add(SourceFile.refused(path, "submodule", "a submodule is not read; put the files themselves here"));
                return;
            }
            try {
                long size = walk.getObjectReader().getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
                if (size > limits.fileBytes()) {
                    files.add(SourceFile.refused(path, "file-too-large", size + " bytes, over the limit of "
                            + limits.fileBytes() + " (treum-gitops.git.max-file-bytes)"));
                } else if (total[0] + size > limits.folderBytes()) {
                    files.add(SourceFile.refused(path, "folder-too-large", "the files of " + folder + " pass "
                            + limits.folderBytes() + " bytes together here (treum-gitops.git.max-folder-bytes)"));
                } else {
                    total[0] += size;
                    files.add(new SourceFile(path, new String(walk.getObjectReader().open(walk.getObjectId(0), Constants.OBJ_BLOB)
                            .getCachedBytes((int) limits.fileBytes()), StandardCharsets.UTF_8)));
                }
            } catch (LargeObjectException e) {
                files.add(SourceFile.refused(path, "file-too-large", "too large to read: " + e.getMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return files;
    }

    @Override
    public List<SourceFile> policies(Revision revision) {
        return read(revision, policiesPath, path -> true, false);
    }

    /**
     * Environments whose folders differ; every environment when the policies or a shared folder
     * under the environments' path (a base, a chart) differ, as each is read again.
     */
    @Override
    public Set<String> changedEnvironments(Revision from, Revision to) {
        Set<String> changed = new TreeSet<>();
        Repository repo = git.getRepository();
        try (RevWalk revs = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(revs.parseCommit(ObjectId.fromString(from.sha())).getTree());
            walk.addTree(revs.parseCommit(ObjectId.fromString(to.sha())).getTree());
            walk.setRecursive(true);
            Set<String> environments = new TreeSet<>(environments(to));
            environments.addAll(environments(from));
            walk.setFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(environmentsPath, policiesPath),
                    TreeFilter.ANY_DIFF));
            while (walk.next()) {
                if (walk.getPathString().startsWith(policiesPath + "/")) {
                    changed.addAll(environments);
                    continue;
                }
                String[] parts = walk.getPathString().substring(environmentsPath.length() + 1).split("/");
                if (parts.length > 1 && !environments.contains(parts[0])) {
                    // a shared base or chart: any environment may render it
                    changed.addAll(environments);
                } else if (parts.length > 1) {
                    changed.add(parts[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return changed;
    }

    private void walk(Revision revision, String prefix, FileVisitor visitor) {
        Repository repo = git.getRepository();
        try (RevWalk revs = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
            RevCommit commit = revs.parseCommit(ObjectId.fromString(revision.sha()));
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            walk.setFilter(PathFilter.create(prefix));
            while (walk.next()) {
                visitor.visit(walk.getPathString(), walk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prefix + " at " + revision, e);
        }
    }

    @FunctionalInterface
    private interface FileVisitor {
        void visit(String path, TreeWalk walk);
    }

    @Override
    public synchronized void close() {
        if (git != null) {
            git.close();
        }
    }

    /**
     * Cancels a transfer once its time is up. JGit asks between packets and objects, so with the
     * per-read timeout this bounds the whole transfer, not only each read.
     */
    private static final class Deadline extends EmptyProgressMonitor {

        private final long end;

        Deadline(Duration limit) {
            this.end = System.nanoTime() + limit.toNanos();
        }

        @Override
        public boolean isCancelled() {
            return System.nanoTime() - end > 0;
        }
    }
}
