package ai.treum.gitops.core.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What checking a policy's newest dump from outside found. Pure.
 *
 * @param newest   the newest dump's key; null when there is none
 * @param verified when the newest dump that passed was taken; null when none did
 * @param problems a missing, stale, truncated or checksum-mismatched dump, one line each
 */
public record Verification(String newest, Instant verified, List<String> problems) {

    /**
     * What reading the newest dump gave.
     *
     * @param sha256   the SHA-256 of its bytes, in hex
     * @param complete whether it is a whole gzip stream (a cut-off upload is not)
     * @param archive  whether what the stream holds begins as a pg_dump custom-format archive does
     * @param recorded the checksum object's first word; null when there is no checksum object
     */
    public record Read(String sha256, boolean complete, boolean archive, String recorded) {
    }

    /** @param read the newest dump, read; ignored when there is none */
    public static Verification of(BackupPolicy policy, List<StoredObject> objects, Read read, Instant now) {
        var newest = Retention.newestDump(objects);
        if (newest.isEmpty()) {
            return new Verification(null, null, List.of("no dump under s3://" + policy.bucket() + "/" + policy.prefix()));
        }
        StoredObject dump = newest.get();
        List<String> problems = new ArrayList<>();
        Duration age = Duration.between(dump.lastModified(), now);
        if (age.compareTo(policy.maxAge()) > 0) {
            problems.add(dump.key() + " is " + hours(age) + " old, more than maxAge " + hours(policy.maxAge()));
        }
        if (!read.complete()) {
            problems.add(dump.key() + " (" + dump.size() + " bytes) is not a whole gzip stream: truncated or corrupt");
        } else if (!read.archive()) {
            problems.add(dump.key() + " is not a pg_dump custom-format archive: pg_restore cannot restore it");
        }
        if (read.recorded() == null) {
            problems.add(dump.key() + " has no checksum object " + dump.key() + StoredObject.CHECKSUM_SUFFIX);
        } else if (!read.recorded().equalsIgnoreCase(read.sha256())) {
            problems.add(dump.key() + " has SHA-256 " + read.sha256() + ", its checksum object says " + read.recorded());
        }
        boolean intact = read.complete() && read.archive() && read.recorded() != null && read.recorded().equalsIgnoreCase(read.sha256());
        return new Verification(dump.key(), intact ? dump.lastModified() : null, problems);
    }

    private static String hours(Duration duration) {
        return duration.toHours() + "h" + (duration.toMinutesPart() == 0 ? "" : " " + duration.toMinutesPart() + "m");
    }
}
