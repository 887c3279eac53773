package ai.treum.gitops.core.backup;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a policy's objects retention deletes: those under its own prefix older than the
 * retention, never the newest {@code minKeep} dumps (at least one) nor their checksums nor the
 * newest drill record, whatever their age. Pure.
 */
public final class Retention {

    private Retention() {
    }

    public static List<StoredObject> expired(BackupPolicy policy, List<StoredObject> objects, Instant now, int minKeep) {
        Set<String> kept = new HashSet<>();
        objects.stream().filter(StoredObject::dump).sorted(NEWEST_FIRST).limit(Math.max(1, minKeep))
                .forEach(d -> {
                    kept.add(d.key());
                    kept.add(d.key() + StoredObject.CHECKSUM_SUFFIX);
                });
        newestDrill(policy, objects).ifPresent(d -> kept.add(d.key()));
        Instant cutoff = now.minus(policy.retention());
        return objects.stream().filter(o -> o.key().startsWith(policy.prefix()))
                .filter(o -> o.lastModified().isBefore(cutoff))
                .filter(o -> !kept.contains(o.key()))
                .toList();
    }

    /** The newest record the restore drill left ({@code <prefix>drills/<time>.json}). */
    public static Optional<StoredObject> newestDrill(BackupPolicy policy, List<StoredObject> objects) {
        return objects.stream().filter(o -> o.key().startsWith(policy.prefix() + "drills/") && o.key().endsWith(".json"))
                .max(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key));
    }

    private static final Comparator<StoredObject> NEWEST_FIRST = Comparator.comparing(StoredObject::lastModified)
            .thenComparing(StoredObject::key).reversed();

    public static Optional<StoredObject> newestDump(List<StoredObject> objects) {
        return objects.stream().filter(StoredObject::dump).max(Comparator.comparing(StoredObject::lastModified)
                .thenComparing(StoredObject::key));
    }
}
