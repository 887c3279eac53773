package ai.treum.gitops.adapter.git;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Predicate;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A commit on top of one revision whose tree is that revision's, except one folder, which is as
 * another revision had it: the folder restored, everything else as it is. Built in the bare
 * repository without a work tree; nothing else of the repository changes.
 */
final class RestoringCommit {

    static final PersonIdent AUTHOR = new PersonIdent("treum-gitops", "gitops@treum.ai");

    private RestoringCommit() {
    }

    /** @param folder a path from the repository root, without a trailing slash */
    static ObjectId build(Repository repo, ObjectId parent, ObjectId source, String folder, String message)
            throws IOException {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit on = walk.parseCommit(parent);
            RevCommit from = walk.parseCommit(source);
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            String prefix = folder + "/";
            copy(repo, on, builder, path -> !path.startsWith(prefix));
            copy(repo, from, builder, path -> path.startsWith(prefix));
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentId(on);
            PersonIdent now = new PersonIdent(AUTHOR, Instant.now());
            commit.setAuthor(now);
            commit.setCommitter(now);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static void copy(Repository repo, RevCommit commit, DirCacheBuilder builder,
            Predicate<String> wanted) throws IOException {
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (wanted.test(walk.getPathString())) {
                    DirCacheEntry entry = new DirCacheEntry(walk.getPathString());
                    entry.setFileMode(walk.getFileMode(0));
                    entry.setObjectId(walk.getObjectId(0));
                    builder.add(entry);
                }
            }
        }
    }
}
