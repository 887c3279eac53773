package ai.treum.gitops.core.backup;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a policy's objects retention deletes: those under its own prefix older than the
 * retention, never the newest dump nor its checksum nor the newest drill record, whatever their
 * age. Pure.
 */
public final class Retention {

    private Retention() {
    }

    public static List<StoredObject> expired(BackupPolicy policy, List<StoredObject> objects, Instant now) {
        Optional<StoredObject> newest = newestDump(objects);
        Optional<StoredObject> drill = newestDrill(policy, objects);
        Instant cutoff = now.minus(policy.retention());
        return objects.stream().filter(o -> o.key().startsWith(policy.prefix()))
                .filter(o -> o.lastModified().isBefore(cutoff))
                .filter(o -> newest.map(n -> !o.key().equals(n.key())
                        && !o.key().equals(n.key() + StoredObject.CHECKSUM_SUFFIX)).orElse(true))
                .filter(o -> drill.map(d -> !o.key().equals(d.key())).orElse(true))
                .toList();
    }

    /** The newest record the restore drill left ({@code <prefix>drills/<time>.json}). */
    public static Optional<StoredObject> newestDrill(BackupPolicy policy, List<StoredObject> objects) {
        return objects.stream().filter(o -> o.key().startsWith(policy.prefix() + "drills/") && o.key().endsWith(".json"))
                .max(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key));
    }

    public static Optional<StoredObject> newestDump(List<StoredObject> objects) {
        return objects.stream().filter(StoredObject::dump).max(Comparator.comparing(StoredObject::lastModified)
                .thenComparing(StoredObject::key));
    }
}
