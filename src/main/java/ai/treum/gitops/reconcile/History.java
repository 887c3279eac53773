package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.aws.AwsChange;
import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.event.SyncFinished;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.HistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Each environment's history: every sync that wrote, failed or said something new, every
 * rollback and every AWS change, kept in the environment's cluster ({@link HistoryStore}) so a
 * restart keeps it. A record the store cannot take now (its cluster is down) waits in memory
 * and goes with the next one. Only the replica holding an environment records its history.
 */
@ApplicationScoped
public class History {

    private static final Logger LOG = Logger.getLogger(History.class);

    private final HistoryStore store;
    private final int keep;
    private final Map<String, List<HistoryRecord>> pending = new HashMap<>();
    private final Map<String, HistoryRecord> lastSync = new HashMap<>();

    @Inject
    History(HistoryStore store, GitopsConfig config) {
        this(store, config.historyKept());
    }

    public History(HistoryStore store, int keep) {
        this.store = store;
        this.keep = keep;
    }

    /**
     * A sync as it ended. An automatic sync that wrote nothing and ended as the last one did
     * (an interval's sync of an unchanged environment, a retry of the same failure) adds nothing.
     */
    public void synced(SyncFinished finished, Instant now) {
        var result = finished.result();
        Map<String, Integer> counts = new TreeMap<>();
        result.changes().forEach(c -> counts.merge(c.action().name().toLowerCase(), 1, Integer::sum));
        HistoryRecord record = new HistoryRecord(HistoryRecord.Kind.SYNC, result.revision(), name(finished.trigger()),
                finished.user(), result.outcome().name().toLowerCase().replace('_', '-'), counts,
                now.minus(finished.took()), now, message(result));
        boolean news = !finished.trigger().automatic()
                || result.changes().stream().map(ChangeEntry::action).anyMatch(a -> a.wrote() || a.failed());
        synchronized (this) {
            HistoryRecord last = lastSync.computeIfAbsent(result.environment(), this::lastStoredSync);
            if (!news && record.repeats(last)) {
                return;
            }
            lastSync.put(result.environment(), record);
            keep(result.environment(), record);
        }
    }

    /** A revision rolled back to {@code to}; {@code user} is empty when the daemon did it. */
    public void rolledBack(String environment, Revision from, Revision to, String reason, String user, Instant now) {
        keep(environment, new HistoryRecord(HistoryRecord.Kind.ROLLBACK, to.sha(), user.isEmpty() ? "rollout" : "api",
                user, "rolled-back", Map.of(), now, now, "revision " + from.shortSha() + " rolled back to "
                + to.shortSha() + ": " + reason));
    }

    /** Declared AWS resources modified back to what revision says. */
    public void awsChanged(String environment, Revision revision, List<AwsChange> changes, Instant started, Instant now) {
        if (changes.isEmpty()) {
            return;
        }
        long failed = changes.stream().filter(c -> !c.applied()).count();
        Map<String, Integer> counts = new TreeMap<>();
        counts.put("modified", (int) (changes.size() - failed));
        if (failed > 0) {
            counts.put("failed", (int) failed);
        }
        keep(environment, new HistoryRecord(HistoryRecord.Kind.AWS, revision.sha(), "enforce", "", failed > 0
                ? "failed" : "modified", counts, started, now, Notification.firstOf(changes)));
    }

    /**
     * Records, newest first.
     *
     * @param unreadable why the stored ones could not be read (then only those waiting are here); null when they were
     */
    public record Recent(List<HistoryRecord> records, String unreadable) {
    }

    /** The newest {@code limit} records, with those still waiting for the store. */
    public Recent recent(String environment, int limit) {
        List<HistoryRecord> all = new ArrayList<>();
        String unreadable = null;
        try {
            all.addAll(store.read(environment));
        } catch (RuntimeException e) {
            unreadable = e.getMessage();
        }
        synchronized (this) {
            all.addAll(pending.getOrDefault(environment, List.of()));
        }
        return new Recent(all.stream().sorted(Comparator.comparing(HistoryRecord::finished).reversed()).limit(limit)
                .toList(), unreadable);
    }

    /**
     * The revisions the environment synced, newest first, that start with {@code prefix}: how a
     * person names a revision to roll back to without its full SHA.
     */
    public List<HistoryRecord> syncedRevisions(String environment, String prefix) {
        Map<String, HistoryRecord> byRevision = new LinkedHashMap<>();
        recent(environment, keep).records().stream().filter(r -> r.kind() == HistoryRecord.Kind.SYNC)
                .filter(r -> r.result().equals("synced") && r.revision().startsWith(prefix))
                .forEach(r -> byRevision.putIfAbsent(r.revision(), r));
        return List.copyOf(byRevision.values());
    }

    private synchronized void keep(String environment, HistoryRecord record) {
        List<HistoryRecord> waiting = pending.computeIfAbsent(environment, e -> new ArrayList<>());
        waiting.add(record);
        try {
            store.append(environment, List.copyOf(waiting), keep);
            pending.remove(environment);
        } catch (RuntimeException e) {
            while (waiting.size() > keep) {
                waiting.remove(0);
            }
            LOG.warnf("environment %s: %d history record(s) not stored yet, kept in memory: %s", environment,
                    waiting.size(), e.getMessage());
        }
    }

    private HistoryRecord lastStoredSync(String environment) {
        try {
            List<HistoryRecord> stored = store.read(environment);
            for (int i = stored.size() - 1; i >= 0; i--) {
                if (stored.get(i).kind() == HistoryRecord.Kind.SYNC) {
                    return stored.get(i);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("environment %s: history not read: %s", environment, e.getMessage());
        }
        return null;
    }

    private static String name(Trigger trigger) {
        return trigger.name().toLowerCase().replace('_', '-');
    }

    private static String message(SyncResult result) {
        if (!result.errors().isEmpty()) {
            return Notification.firstOf(result.errors());
        }
        if (result.pruneBlocked() != null) {
            return "prune blocked: " + result.pruneBlocked();
        }
        if (result.outcome() == SyncResult.Outcome.OUT_OF_SYNC) {
            return result.drift().size() + " object(s) differ from Git; not applied (auto-sync or self-heal off)";
        }
        return "";
    }
}
