package ai.treum.gitops.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Dumps as the backup script leaves them in S3: a pg_dump custom-format archive in a gzip stream,
 * with a sha256sum-format checksum object beside each.
 */
public final class Dumps {

    private Dumps() {
    }

    /** Something that begins as a custom-format archive does, then {@code body}, in a gzip stream. */
    public static byte[] archive(String body) {
        return gzip("PGDMP" + body);
    }

    public static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Uploads a dump and a checksum object saying {@code checksum}, which need not be the dump's. */
    public static void put(S3Client s3, String bucket, String key, byte[] dump, String checksum) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(dump));
        s3.putObject(r -> r.bucket(bucket).key(key + ".sha256"),
                RequestBody.fromString(checksum + "  " + key.substring(key.lastIndexOf('/') + 1) + "\n"));
    }
}
