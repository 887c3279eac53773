package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.backup.BackupPolicy;
import ai.treum.gitops.core.backup.Retention;
import ai.treum.gitops.core.backup.Schedules;
import ai.treum.gitops.core.backup.StateExport;
import ai.treum.gitops.core.backup.StoredObject;
import ai.treum.gitops.core.backup.Verification;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.metrics.GitopsMetrics.BackupFigures;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.BackupStore;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.InventoryStore;
import ai.treum.gitops.port.ShardOwnership;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Verifies backups from outside the cluster, on an interval: for every BackupPolicy of every
 * environment at Git's head, lists the policy's S3 prefix, reads the newest dump through (its age,
 * whether it is a whole gzip stream, its SHA-256 against the checksum object beside it), exports
 * when the last verified dump was taken, and deletes what is past retention, never the newest.
 * On its own interval it also exports each environment's live state to the same bucket.
 */
@ApplicationScoped
public class BackupWatcher implements PerEnvironmentState {

    /**
     * One policy's latest check.
     *
     * @param lastSuccess when the newest verified dump was taken, this check or an earlier one
     * @param deleted     keys retention deleted in this check
     * @param lastDrill   when the newest restore drill that passed ran, this check or an earlier one
     * @param error       why S3 could not be asked; null when it answered
     */
    public record Status(String policy, Instant checkedAt, String newest, Instant lastSuccess, List<String> problems,
            List<String> deleted, Instant lastDrill, String error) {
    }

    private static final Logger LOG = Logger.getLogger(BackupWatcher.class);

    private final List<String> retentionAllowed;
    private final int minKeep;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final BackupStore store;
    private final GitopsMetrics metrics;
    private final InventoryStore inventory;
    private final ClusterReader reader;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Map<String, Status>> statuses = new ConcurrentHashMap<>();
    private final Map<String, Map<String, BackupFigures>> figures = new ConcurrentHashMap<>();

    private final ShardOwnership shards;

    BackupWatcher(DesiredStateWatcher watcher, RevisionReader revisions, BackupStore store, GitopsMetrics metrics,
            InventoryStore inventory, ClusterReader reader, ShardOwnership shards, GitopsConfig config) {
        this.retentionAllowed = config.backups().retentionAllowList().orElse(List.of());
        this.minKeep = config.backups().minKeep();
        this.watcher = watcher;
        this.shards = shards;
        this.revisions = revisions;
        this.store = store;
        this.metrics = metrics;
        this.inventory = inventory;
        this.reader = reader;
    }

    /** Each BackupPolicy of the environment, by name, as last checked. */
    public Map<String, Status> statuses(String env) {
        return statuses.getOrDefault(env, Map.of());
    }

    @Scheduled(every = "${treum-gitops.backups.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Optional<Revision> head = watcher.current();
        head.ifPresent(revision -> EachEnvironment.run(shards.held(watcher.environments()), "the backup check", LOG,
                env -> check(env, revision)));
    }

    /**
     * Writes each environment's live managed objects (Secrets excluded) to
     * {@code <first policy's prefix>state/<time>.yaml}, so the cluster can be rebuilt without Git
     * or the daemon; environments without a BackupPolicy have nowhere to write and are skipped, and
     * one with nothing live yet (before its first sync) writes no empty export to be mistaken for a state.
     */
    @Scheduled(every = "${treum-gitops.backups.export-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void export() {
        Optional<Revision> head = watcher.current();
        if (head.isEmpty()) {
            return;
        }
        EachEnvironment.run(shards.held(watcher.environments()), "the state export", LOG, env -> {
            EnvironmentRevision read = revisions.read(env, head.get());
            Optional<BackupPolicy> policy = policies(read).stream().findFirst();
            if (policy.isEmpty()) {
                return;
            }
            List<ObjectNode> live = inventory.load(env).stream()
                    .map(e -> reader.get(env, e.apiVersion(), e.key())).flatMap(Optional::stream).toList();
            if (live.isEmpty()) {
                return;
            }
            String key = policy.get().prefix() + "state/" + clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()
                    .replace(':', '-') + ".yaml";
            try {
                store.put(read.environment().aws().region(), policy.get().bucket(), key, StateExport.yaml(live));
                LOG.debugf("environment %s: %d live object(s) exported to s3://%s/%s", env, live.size(),
                        policy.get().bucket(), key);
            } catch (BackupStore.Unavailable e) {
                LOG.warnf("environment %s: state export: %s", env, e.getMessage());
            }
        });
    }

    @Override
    public void retain(Set<String> environments) {
        statuses.keySet().retainAll(environments);
        figures.keySet().retainAll(environments);
        metrics.backups(figures);
    }

    /** Checks every BackupPolicy of the environment at the revision. */
    public void check(String env, Revision revision) {
        EnvironmentRevision read = revisions.read(env, revision);
        if (!read.valid()) {
            return;
        }
        String region = read.environment().aws().region();
        Map<String, Status> checked = new TreeMap<>();
        Map<String, BackupFigures> envFigures = new TreeMap<>();
        for (BackupPolicy policy : policies(read)) {
            Status status = check(env, region, policy);
            checked.put(policy.name(), status);
            envFigures.put(policy.name(), new BackupFigures(status.lastSuccess(), policy.maxAge(), status.lastDrill(),
                    policy.drillSchedule() == null ? null : Schedules.maxInterval(policy.drillSchedule(), clock.instant()),
                    !status.problems().isEmpty()));
        }
        statuses.put(env, checked);
        figures.put(env, envFigures);
        metrics.backups(figures);
    }

    /**
     * What retention may delete now: nothing unless the policy's destination is on the daemon's
     * allow-list (Git alone cannot point retention at a bucket) and the newest dump passed
     * verification; never the newest {@code min-keep} dumps.
     */
    private List<String> retention(String env, BackupPolicy policy, List<StoredObject> objects, Verification verification,
            Instant now) {
        List<String> expired = Retention.expired(policy, objects, now, minKeep).stream().map(StoredObject::key).toList();
        if (expired.isEmpty()) {
            return expired;
        }
        String destination = "s3://" + policy.bucket() + "/" + policy.prefix();
        if (retentionAllowed.stream().noneMatch(destination::startsWith)) {
            LOG.infof("environment %s: backup %s: %d object(s) past retention kept: %s is not on "
                    + "treum-gitops.backups.retention-allow-list", env, policy.name(), expired.size(), destination);
            return List.of();
        }
        if (!verification.problems().isEmpty()) {
            LOG.infof("environment %s: backup %s: retention waits for a newest dump that passes verification", env,
                    policy.name());
            return List.of();
        }
        return expired;
    }

    /** The BackupPolicies of a revision; a revision that loads has only policies that parse. */
    private static List<BackupPolicy> policies(EnvironmentRevision read) {
        return read.declared().stream().filter(r -> r.key().kind().equals("BackupPolicy"))
                .map(r -> BackupPolicy.parse(r).policy()).filter(Objects::nonNull).toList();
    }

    private Status check(String env, String region, BackupPolicy policy) {
        Instant now = clock.instant();
        Optional<Status> before = Optional.ofNullable(statuses(env).get(policy.name()));
        Instant previous = before.map(Status::lastSuccess).orElse(null);
        Instant previousDrill = before.map(Status::lastDrill).orElse(null);
        try {
            List<StoredObject> objects = store.list(region, policy.bucket(), policy.prefix());
            Optional<StoredObject> newest = Retention.newestDump(objects);
            Verification.Read read = newest.map(n -> store.read(region, policy.bucket(), n.key())).orElse(null);
            Verification verification = Verification.of(policy, objects, read, now);
            List<String> expired = retention(env, policy, objects, verification, now);
            if (!expired.isEmpty()) {
                store.delete(region, policy.bucket(), expired);
                LOG.infof("environment %s: backup %s: retention deleted %d object(s) older than %s (in a versioned bucket "
                        + "they stay as noncurrent versions until the bucket's lifecycle expires them)", env, policy.name(),
                        expired.size(), policy.retention());
            }
            verification.problems().forEach(p -> LOG.warnf("environment %s: backup %s: %s", env, policy.name(), p));
            Instant lastSuccess = verification.verified() != null ? verification.verified() : previous;
            Instant lastDrill = Retention.newestDrill(policy, objects)
                    .filter(d -> passed(store.text(region, policy.bucket(), d.key()))).map(StoredObject::lastModified)
                    .orElse(previousDrill);
            return new Status(policy.name(), now, verification.newest(), lastSuccess, verification.problems(), expired,
                    lastDrill, null);
        } catch (BackupStore.Unavailable e) {
            LOG.warnf("environment %s: backup %s: %s", env, policy.name(), e.getMessage());
            return new Status(policy.name(), now, null, previous, List.of(), List.of(), previousDrill, e.getMessage());
        }
    }

    /** Whether a drill's record says it passed; a record that does not parse did not. */
    private static boolean passed(String record) {
        try {
            return JSON.readTree(record).path("passed").asBoolean(false);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
