package ai.treum.gitops.core.backup;

import java.time.Instant;

/** One object under a policy's prefix, as the S3 listing gives it. */
public record StoredObject(String key, long size, Instant lastModified) {

    /** A pg_dump custom-format archive in a gzip stream, as {@code backup.py} uploads it. */
    public static final String DUMP_SUFFIX = ".dump.gz";
    public static final String CHECKSUM_SUFFIX = ".sha256";

    public boolean dump() {
        return key.endsWith(DUMP_SUFFIX);
    }
}
