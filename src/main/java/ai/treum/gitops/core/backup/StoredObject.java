package ai.treum.gitops.core.backup;

import java.time.Instant;

/** One object under a policy's prefix, as the S3 listing gives it. */
public record StoredObject(String key, long size, Instant lastModified) {

    public static final String DUMP_SUFFIX = ".sql.gz";
    public static final String CHECKSUM_SUFFIX = ".sha256";

    public boolean dump() {
        return key.endsWith(DUMP_SUFFIX);
    }
}
