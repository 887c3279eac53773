package ai.treum.gitops.port;

import ai.treum.gitops.core.backup.StoredObject;
import ai.treum.gitops.core.backup.Verification;
import java.util.List;

/** Where dumps are kept (S3), read and pruned from outside the cluster. Failures throw {@link Unavailable}. */
public interface BackupStore {

    /** Every object under the prefix. */
    List<StoredObject> list(String region, String bucket, String prefix);

    /** Reads a dump through, hashing it and checking it is a whole gzip stream, and its checksum object. */
    Verification.Read read(String region, String bucket, String key);

    /** Writes a text object, such as an export of the cluster's state. */
    void put(String region, String bucket, String key, String text);

    /** A small object's text, such as a drill's record. */
    String text(String region, String bucket, String key);

    void delete(String region, String bucket, List<String> keys);

    /** The store could not be asked. */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
