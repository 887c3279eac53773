package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.core.backup.StoredObject;
import ai.treum.gitops.core.backup.Verification;
import ai.treum.gitops.port.BackupStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** Dumps in S3: listed page by page, read as a stream (never held whole), deleted in batches of 1,000. */
@ApplicationScoped
public class S3Backups implements BackupStore {

    /** How pg_dump's custom format begins (its file header). */
    private static final byte[] ARCHIVE_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    private final AwsClients clients;

    S3Backups(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public List<StoredObject> list(String region, String bucket, String prefix) {
        try {
            return clients.s3(region).listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(o -> new StoredObject(o.key(), o.size(), o.lastModified())).toList();
        } catch (SdkException e) {
            throw new Unavailable("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Verification.Read read(String region, String bucket, String key) {
        S3Client s3 = clients.s3(region);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Unpacked unpacked;
            try (InputStream body = s3.getObject(r -> r.bucket(bucket).key(key));
                    DigestInputStream hashed = new DigestInputStream(body, sha256)) {
                unpacked = unpack(hashed);
                hashed.transferTo(OutputStream.nullOutputStream());
            }
            return new Verification.Read(HexFormat.of().formatHex(sha256.digest()), unpacked.complete(), unpacked.archive(),
                    recorded(s3, bucket, key));
        } catch (SdkException | IOException e) {
            throw new Unavailable("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record Unpacked(boolean complete, boolean archive) {
    }

    /**
     * Decompresses to the end; a cut-off or corrupt stream is not complete. What is left unread is
     * still hashed by the caller.
     */
    private static Unpacked unpack(InputStream in) {
        try (GZIPInputStream gzip = new GZIPInputStream(new NonClosing(in))) {
            boolean archive = Arrays.equals(gzip.readNBytes(ARCHIVE_MAGIC.length), ARCHIVE_MAGIC);
            gzip.transferTo(OutputStream.nullOutputStream());
            return new Unpacked(true, archive);
        } catch (IOException e) {
            return new Unpacked(false, false);
        }
    }

    private static String recorded(S3Client s3, String bucket, String key) {
        try {
            String text = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key + StoredObject.CHECKSUM_SUFFIX))
                    .asString(StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : text.split("\\s+")[0];
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    @Override
    public void put(String region, String bucket, String key, String text) {
        try {
            clients.s3(region).putObject(r -> r.bucket(bucket).key(key).contentType("application/yaml"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw new Unavailable("cannot write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String text(String region, String bucket, String key) {
        try {
            return clients.s3(region).getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        } catch (SdkException e) {
            throw new Unavailable("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String region, String bucket, List<String> keys) {
        try {
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                clients.s3(region).deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(batch).build()));
            }
        } catch (SdkException e) {
            throw new Unavailable("cannot delete from s3://" + bucket + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the S3 stream open when the gzip reader is closed, so the rest can still be hashed. */
    private static final class NonClosing extends FilterInputStream {

        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller closes the underlying stream
        }
    }
}
