package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.backup.BackupJobs;
import ai.treum.gitops.core.diff.DiffRenderer;
import ai.treum.gitops.core.diff.OwnedFieldsDiff;
import ai.treum.gitops.core.diff.ResourceDiff;
import ai.treum.gitops.core.inventory.PrunePlan;
import ai.treum.gitops.core.inventory.PrunePlanner;
import ai.treum.gitops.core.plan.ManagedFields;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.plan.Waves;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.GroupKind;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.model.SyncPlan;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import ai.treum.gitops.port.InventoryStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Brings one environment's Kubernetes objects to one revision. Every step recomputes from the
 * desired objects and the live cluster, so running it again after a crash, or twice, is safe.
 */
public class EnvironmentSync {

    private final ClusterReader reader;
    private final ClusterApplier applier;
    private final InventoryStore inventory;
    private final SyncObserver observer;
    private final ExecutorService writers;
    private final HookJobs hooks;
    private final Map<String, OwnedFieldsDiff> differs = new ConcurrentHashMap<>();

    /** The longest a pre-sync hook is waited for when the daemon's settings say nothing. */
    public static final Duration HOOK_WAIT = Duration.ofMinutes(30);

    private final Duration maxHookWait;

    /** A sync whose pre-sync hooks are waited for at most {@link #HOOK_WAIT}. */
    public EnvironmentSync(ClusterReader reader, ClusterApplier applier, InventoryStore inventory, SyncObserver observer,
            int concurrency) {
        this(reader, applier, inventory, observer, concurrency, HOOK_WAIT);
    }

    /**
     * Whether this replica may write for the environment is not asked here: the applier and the
     * inventory refuse every write themselves once its shard is lost (a hook Job too, so the hooks
     * after it are not started).
     *
     * @param concurrency how many writes of one wave may be in flight at once
     * @param maxHookWait the longest a pre-sync hook is waited for, whatever its Job says
     */
    public EnvironmentSync(ClusterReader reader, ClusterApplier applier, InventoryStore inventory, SyncObserver observer,
            int concurrency, Duration maxHookWait) {
        this.maxHookWait = maxHookWait;
        this.reader = reader;
        this.applier = applier;
        this.inventory = inventory;
        this.observer = observer;
        this.hooks = new HookJobs(reader, applier);
        this.writers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "treum-gitops-apply");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What a sync would do, computed once and without writing; {@link #plan} is its first part,
     * the {@code plan} command shows all of it.
     *
     * @param plan        the revision's problems, the objects that differ and the entries to delete
     * @param prune       what the sync would delete and keep, under its guards
     * @param leftInPlace what Git no longer declares and the sync leaves alone, the environment not pruning
     * @param preSyncJobs the Jobs it would run before its workloads' wave
     */
    public record Preview(SyncPlan plan, PrunePlan prune, List<InventoryEntry> leftInPlace,
            List<DesiredResource> preSyncJobs) {

        static Preview rejected(List<String> errors) {
            return new Preview(new SyncPlan(errors, List.of(), List.of()), new PrunePlan(List.of(), List.of(), null),
                    List.of(), List.of());
        }
    }

    /**
     * What a sync would do, without writing: the revision's problems, the objects that differ from
     * the cluster (redacted lines), and the inventory entries to delete (also listed as drift):
     * where the environment prunes, all that Git no longer declares within the guards, otherwise
     * those a rollout retired.
     *
     * @param rendered the revision's objects at the step of its rollout; its hooks are kept, not compared
     */
    public SyncPlan plan(EnvironmentSpec environment, Rendered rendered) {
        return preview(environment, null, rendered).plan();
    }

    /** @param revision what the pre-sync Jobs are named for; null when they are not wanted */
    public Preview preview(EnvironmentSpec environment, String revision, Rendered rendered) {
        List<DesiredResource> desired = rendered.objects().stream().map(r -> Ownership.stamp(r, environment.name())).toList();
        Set<ResourceKey> retired = rendered.retired();
        Set<ResourceKey> skipped = new HashSet<>();
        List<String> errors = preflight(environment.name(), desired, skipped);
        if (!errors.isEmpty()) {
            return Preview.rejected(errors);
        }
        ForeignObjects foreign = new ForeignObjects(reader, environment.name());
        List<ObjectDrift> drift = new ArrayList<>();
        for (DesiredResource resource : desired) {
            if (!skipped.contains(resource.key())) {
                Optional<ObjectNode> live = reader.get(environment.name(), resource.apiVersion(), resource.key());
                foreign.check(resource, live).ifPresent(errors::add);
                ResourceDiff diff = diff(resource, live);
                if (!diff.inSync()) {
                    drift.add(new ObjectDrift(resource.key(), DiffRenderer.render(diff)));
                }
            }
        }
        if (!errors.isEmpty()) {
            return Preview.rejected(errors);
        }
        unfinishedHooks(environment.name(), rendered).forEach((hook, state) -> drift.add(new ObjectDrift(hook,
                List.of(hook + ": pre-sync hook of this revision has not succeeded (" + state + ")"))));
        // the sync runs them when an object differs or a hook has not succeeded: what the drift holds so far
        List<DesiredResource> jobs = revision == null || rendered.preSync().isEmpty() || drift.isEmpty() ? List.of()
                : preSyncJobs(revision, rendered, desired.stream().filter(r -> !skipped.contains(r.key())).toList());
        Set<ResourceKey> keys = desiredKeys(desired, skipped, rendered);
        SortedSet<InventoryEntry> entries = inventory.load(environment.name());
        List<InventoryEntry> gone = entries.stream().filter(e -> !keys.contains(e.key())).toList();
        PrunePlan prune = PrunePlanner.forSync(environment.sync(), entries, keys, retired,
                e -> keepReason(environment.name(), e));
        prune.delete().forEach(e -> drift.add(new ObjectDrift(e.key(), List.of(e.key() + (retired.contains(e.key())
                ? ": retired by the rollout, to be deleted" : ": no longer in Git, to be pruned")))));
        // a kept object leaves the inventory, and a blocked prune is reported: both need the sync
        prune.kept().forEach(k -> drift.add(new ObjectDrift(k.entry().key(), List.of(k.entry().key()
                + ": no longer in Git, kept (" + k.reason() + ")"))));
        List<InventoryEntry> stale = new ArrayList<>(prune.delete());
        if (prune.blocked() != null) {
            gone.forEach(e -> {
                stale.add(e);
                drift.add(new ObjectDrift(e.key(), List.of(e.key() + ": no longer in Git; prune blocked: " + prune.blocked())));
            });
        }
        // with prune off, objects Git no longer declares are left alone by choice, not drift
        List<InventoryEntry> leftInPlace = environment.sync().prune() ? List.of()
                : gone.stream().filter(e -> !prune.delete().contains(e)).toList();
        return new Preview(new SyncPlan(List.of(), drift, List.copyOf(stale)), prune, leftInPlace, jobs);
    }

    /** What the sync applies, as its inventory counts it: the objects of served kinds, and the hooks. */
    private static Set<ResourceKey> desiredKeys(List<DesiredResource> desired, Set<ResourceKey> skipped, Rendered rendered) {
        Set<ResourceKey> keys = desired.stream().map(DesiredResource::key).filter(k -> !skipped.contains(k))
                .collect(Collectors.toSet());
        rendered.hooks().forEach(hook -> keys.add(hook.key()));
        return keys;
    }

    /**
     * @param rendered the revision's objects at the step of its rollout. What it retires is deleted
     *                 even where the environment does not prune; its pre-sync hooks run, and must
     *                 succeed, before anything changes; its post-sync hooks are only recorded.
     */
    public SyncResult sync(EnvironmentSpec environment, String revision, Rendered rendered) {
        String env = environment.name();
        Set<ResourceKey> retired = rendered.retired();
        // 1. stamp ownership labels and namespaces on everything that will be applied
        List<DesiredResource> desired = rendered.objects().stream().map(r -> Ownership.stamp(r, env)).toList();

        // 2. preflight: every kind is served, defined by a CRD of this revision, or optional
        Set<ResourceKey> skipped = new HashSet<>();
        List<String> missingKinds = preflight(env, desired, skipped);
        if (!missingKinds.isEmpty()) {
            return SyncResult.rejected(env, revision, missingKinds);
        }
        // 2b. nothing is taken from another environment, nor from nobody without the adopt annotation
        List<String> foreign = foreign(env, desired, skipped);
        if (!foreign.isEmpty()) {
            return SyncResult.rejected(env, revision, foreign);
        }
        List<DesiredResource> applicable = desired.stream().filter(r -> !skipped.contains(r.key())).toList();

        // 3. record every object this sync may create before creating any, so a crash cannot orphan one
        InventoryStore.Versioned read = inventory.loadVersioned(env);
        SortedSet<InventoryEntry> previous = read.entries();
        Set<InventoryEntry> desiredEntries = Stream.concat(applicable.stream(), rendered.hooks().stream())
                .map(r -> new InventoryEntry(r.key(), r.apiVersion())).collect(Collectors.toSet());
        SortedSet<InventoryEntry> union = new TreeSet<>(previous);
        union.addAll(desiredEntries);
        InventoryStore.Versioned saved = saveIfChanged(env, read, union);

        // 4. apply what differs, wave by wave; a wave with a failure stops the later ones. Pre-sync
        // hooks run before the workloads' wave, when anything is to change; one that fails stops it
        List<ChangeEntry> changes = new ArrayList<>();
        boolean changing = !rendered.preSync().isEmpty() && (applicable.stream()
                .anyMatch(r -> !diff(r, reader.get(env, r.apiVersion(), r.key())).inSync())
                || !unfinishedHooks(env, rendered).isEmpty());
        List<DesiredResource> preSyncJobs = changing ? preSyncJobs(revision, rendered, applicable) : List.of();
        desired.stream().filter(r -> skipped.contains(r.key()))
                .forEach(r -> changes.add(new ChangeEntry(r.key(), Action.SKIPPED, "optional, and the cluster does not serve "
                        + r.apiVersion() + " " + r.key().kind())));
        List<ObjectDrift> drift = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Integer, List<DesiredResource>> waves = applicable.stream()
                .collect(Collectors.groupingBy(r -> Waves.of(r.key()), TreeMap::new, Collectors.toList()));
        if (changing) {
            waves.putIfAbsent(Waves.WORKLOADS, List.of());
        }
        for (Map.Entry<Integer, List<DesiredResource>> wave : waves.entrySet()) {
            if (wave.getKey() == Waves.WORKLOADS && changing) {
                runPreSync(env, preSyncJobs, changes, errors);
            }
            if (errors.isEmpty()) {
                List<ChangeEntry> applied = applyWave(environment, wave.getValue(), desired, drift);
                changes.addAll(applied);
                observer.waveApplied(env, wave.getKey(), applied);
                Map<ResourceKey, SourceLocation> sources = wave.getValue().stream()
                        .collect(Collectors.toMap(DesiredResource::key, DesiredResource::source, (a, b) -> a));
                applied.stream().filter(c -> c.action().failed()).forEach(c -> errors.add(sources.get(c.key()) + ": " + c));
            }
            if (!errors.isEmpty()) {
                return new SyncResult(env, revision, SyncResult.Outcome.FAILED, changes, drift, errors, null);
            }
        }

        // 5. prune what Git no longer declares, within the guards, or else only what a rollout retired
        Set<ResourceKey> deleted = new HashSet<>();
        Set<ResourceKey> released = new HashSet<>();
        Set<ResourceKey> desiredKeys = desiredEntries.stream().map(InventoryEntry::key).collect(Collectors.toSet());
        PrunePlan prune = PrunePlanner.forSync(environment.sync(), previous, desiredKeys, retired, e -> keepReason(env, e));
        for (PrunePlan.Kept kept : prune.kept()) {
            changes.add(new ChangeEntry(kept.entry().key(), Action.SKIPPED, "not pruned: " + kept.reason()));
            released.add(kept.entry().key());
        }
        delete(env, prune.delete(), changes, errors, deleted);
        String pruneBlocked = prune.blocked();

        // 6. the inventory: everything desired, plus whatever stale object is still there
        saveIfChanged(env, saved, PrunePlanner.next(desiredEntries, previous, deleted, released));
        return new SyncResult(env, revision, errors.isEmpty() ? SyncResult.Outcome.SYNCED : SyncResult.Outcome.FAILED,
                changes, drift, errors, pruneBlocked);
    }

    /**
     * The revision's pre-sync hooks whose last Job is there but has not succeeded: one that failed
     * or was given up on while running, for this revision or an earlier one. The revision is not
     * synced until they do, even when every object already matches (the config wave is applied
     * before the hooks run). A Job of this revision that failed is not run again; one of an earlier
     * revision is replaced by this revision's.
     */
    private Map<ResourceKey, String> unfinishedHooks(String env, Rendered rendered) {
        Map<ResourceKey, String> unfinished = new TreeMap<>();
        for (DesiredResource hook : rendered.preSync()) {
            Optional<ObjectNode> live = reader.get(env, hook.apiVersion(), hook.key());
            if (live.isEmpty()) {
                continue;
            }
            String ran = live.get().path("metadata").path("annotations").path(Hook.REVISION_ANNOTATION).asText();
            Hook.Run run = Hook.run(live.get(), ran);
            String of = ran.isEmpty() ? "" : " at " + ran.substring(0, Math.min(12, ran.length()));
            if (run instanceof Hook.Failed failed) {
                unfinished.put(hook.key(), "failed" + of + ": " + failed.reason());
            } else if (run instanceof Hook.Running running) {
                unfinished.put(hook.key(), "still running" + of + ": " + running.detail());
            }
        }
        return unfinished;
    }

    /** The Jobs a sync that changes something runs before its workloads' wave: a fresh backup of every database, then the hooks. */
    private static List<DesiredResource> preSyncJobs(String revision, Rendered rendered, List<DesiredResource> applicable) {
        List<DesiredResource> jobs = new ArrayList<>(BackupJobs.presync(applicable, revision));
        jobs.addAll(rendered.preSync());
        return jobs;
    }

    private void runPreSync(String env, List<DesiredResource> jobs, List<ChangeEntry> changes, List<String> errors) {
        for (DesiredResource hook : jobs) {
            Hook.Run run = hooks.await(env, hook, hookTimeout(hook, maxHookWait));
            if (run instanceof Hook.Failed failed) {
                changes.add(new ChangeEntry(hook.key(), Action.FAILED, "pre-sync hook failed: " + failed.reason()));
                errors.add(hook.key() + ": pre-sync hook failed: " + failed.reason() + "; the workloads were not changed");
                return;
            }
            changes.add(new ChangeEntry(hook.key(), Action.CONFIGURED, "pre-sync hook succeeded"));
        }
    }

    /**
     * As long as the Job may run, and a minute more; ten minutes when it sets no deadline; never
     * longer than the daemon allows, since Git writes the deadline.
     */
    static Duration hookTimeout(DesiredResource job, Duration max) {
        long deadline = job.body().path("spec").path("activeDeadlineSeconds").asLong(0);
        if (deadline >= max.toSeconds()) {
            return max; // a deadline of any size from Git, compared before anything is added to it
        }
        Duration wanted = deadline > 0 ? Duration.ofSeconds(deadline + 60) : Duration.ofMinutes(10);
        return wanted.compareTo(max) > 0 ? max : wanted;
    }

    private void delete(String env, List<InventoryEntry> entries, List<ChangeEntry> changes, List<String> errors,
            Set<ResourceKey> deleted) {
        for (InventoryEntry entry : entries) {
            ChangeEntry result = applier.delete(entry, env);
            changes.add(result);
            if (result.action().failed()) {
                errors.add(result.toString());
            } else {
                deleted.add(entry.key());
            }
        }
    }

    /** Every object of the revision that exists and is not the environment's ({@link ForeignObjects}). */
    private List<String> foreign(String env, List<DesiredResource> desired, Set<ResourceKey> skipped) {
        ForeignObjects foreign = new ForeignObjects(reader, env);
        return desired.stream().filter(r -> !skipped.contains(r.key())).flatMap(r -> foreign.check(r).stream()).toList();
    }

    private List<String> preflight(String env, List<DesiredResource> desired, Set<ResourceKey> skipped) {
        Set<GroupKind> definedHere = desired.stream().filter(r -> r.key().kind().equals("CustomResourceDefinition"))
                .map(r -> GroupKind.definedBy(r.body())).collect(Collectors.toSet());
        Map<String, Boolean> served = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (DesiredResource r : desired) {
            boolean ok = served.computeIfAbsent(r.apiVersion() + " " + r.key().kind(),
                    k -> reader.serves(env, r.apiVersion(), r.key().kind()))
                    || definedHere.contains(r.key().groupKind());
            if (ok) {
                continue;
            }
            if (Ownership.annotated(r.body(), Ownership.OPTIONAL_ANNOTATION, "true")) {
                skipped.add(r.key());
            } else {
                errors.add(r.source() + ": unknown-kind: " + r.key() + ": the cluster does not serve "
                        + r.apiVersion() + " " + r.key().kind() + " and no CustomResourceDefinition here defines it");
            }
        }
        return errors;
    }

    private List<ChangeEntry> applyWave(EnvironmentSpec environment, List<DesiredResource> wave,
            List<DesiredResource> all, List<ObjectDrift> drift) {
        awaitCrds(environment.name(), wave, all);
        List<Future<ChangeEntry>> pending = new ArrayList<>();
        for (DesiredResource resource : wave) {
            Optional<ObjectNode> live = handedOver(environment.name(), resource,
                    reader.get(environment.name(), resource.apiVersion(), resource.key()));
            ResourceDiff diff = diff(resource, live);
            if (diff.inSync()) {
                pending.add(CompletableFuture.completedFuture(ChangeEntry.of(resource.key(), Action.UNCHANGED)));
            } else {
                drift.add(new ObjectDrift(resource.key(), DiffRenderer.render(diff)));
                pending.add(writers.submit(() -> write(environment, resource, live.isEmpty())));
            }
        }
        List<ChangeEntry> entries = new ArrayList<>();
        for (Future<ChangeEntry> future : pending) {
            entries.add(await(future));
        }
        return entries;
    }

    private ChangeEntry write(EnvironmentSpec environment, DesiredResource resource, boolean missing) {
        ChangeEntry applied = applier.apply(resource, environment.sync().selfHeal());
        if (applied.action() == Action.IMMUTABLE && Ownership.annotated(resource.body(), Ownership.RECREATE_ANNOTATION, "true")) {
            applied = applier.recreate(resource);
        }
        return applied.action() == Action.CONFIGURED && missing
                ? new ChangeEntry(resource.key(), Action.CREATED, applied.detail()) : applied;
    }

    private static ChangeEntry await(Future<ChangeEntry> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("applying failed unexpectedly", e.getCause());
        }
    }

    /** Fields of the environment's own manager only: another environment's apply is never mistaken for ours. */
    private ResourceDiff diff(DesiredResource resource, Optional<ObjectNode> live) {
        return differs.computeIfAbsent(Ownership.fieldManager(resource), OwnedFieldsDiff::new)
                .diff(resource.key(), resource.body(), live.orElse(null));
    }

    /**
     * The live object, its fields handed from the field manager all environments once shared to
     * the environment's own, so nothing conflicts and nothing is re-created; once per object.
     */
    private Optional<ObjectNode> handedOver(String env, DesiredResource resource, Optional<ObjectNode> live) {
        if (live.isEmpty() || !ManagedFields.appliedBy(live.get(), Ownership.FIELD_MANAGER)) {
            return live;
        }
        return applier.handOver(env, resource.apiVersion(), resource.key(), live.get(), Ownership.FIELD_MANAGER,
                Ownership.fieldManager(resource)).or(() -> live);
    }

    /** Custom resources wait until the CRDs of this revision that define them are established. */
    private void awaitCrds(String env, List<DesiredResource> wave, List<DesiredResource> all) {
        Set<GroupKind> kindsInWave = wave.stream().map(r -> r.key().groupKind()).collect(Collectors.toSet());
        all.stream().filter(r -> r.key().kind().equals("CustomResourceDefinition"))
                .filter(crd -> kindsInWave.contains(GroupKind.definedBy(crd.body())))
                .forEach(crd -> applier.awaitEstablished(env, crd.key().name()));
    }

    private Optional<String> keepReason(String env, InventoryEntry entry) {
        return PrunePlanner.keepReason(entry.key(), reader.get(env, entry.apiVersion(), entry.key()).orElse(null));
    }

    /** Saves only over the inventory read (and, the store sees to it, only while this replica holds the shard). */
    private InventoryStore.Versioned saveIfChanged(String environment, InventoryStore.Versioned before,
            SortedSet<InventoryEntry> after) {
        if (before.entries().equals(after)) {
            return before;
        }
        return inventory.save(environment, before, after);
    }
}
