package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.backup.BackupPolicy;
import ai.treum.gitops.core.backup.Retention;
import ai.treum.gitops.core.backup.StoredObject;
import ai.treum.gitops.core.backup.Verification;
import ai.treum.gitops.peers.Dumps;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.MotoPeer.MotoEndpoint;
import ai.treum.gitops.port.BackupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** Backups verified and pruned from outside, against dumps in moto's S3. */
@ExtendWith(MotoPeer.class)
@Tag("peer")
class S3BackupsTest {

    private final String bucket = "backups-" + UUID.randomUUID().toString().substring(0, 8);

    private BackupPolicy policy(Duration retention) {
        return new BackupPolicy("postgres", "treum-production", "0 2 * * *", bucket, "postgres/", retention,
                Duration.ofHours(26), "0 4 * * 0");
    }

    private Verification verify(S3Backups backups, BackupPolicy policy, Instant now) {
        List<StoredObject> objects = backups.list(null, bucket, policy.prefix());
        StoredObject newest = Retention.newestDump(objects).orElseThrow();
        return Verification.of(policy, objects, backups.read(null, bucket, newest.key()), now);
    }

    @Test
    void aGoodDumpIsVerifiedAndAStaleTruncatedOrMismatchedOneIsFlagged(MotoEndpoint moto) throws Exception {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            S3Client s3 = clients.s3(null);
            s3.createBucket(r -> r.bucket(bucket));
            S3Backups backups = new S3Backups(clients);
            BackupPolicy policy = policy(Duration.ofDays(30));
            byte[] good = Dumps.archive("CREATE TABLE trades (id int);\nINSERT INTO trades VALUES (1), (2), (3);\n".repeat(200));
            Dumps.put(s3, bucket, "postgres/2026-11-28T02-00.dump.gz", good, Dumps.sha256(good));

            Verification fresh = verify(backups, policy, Instant.now());
            assertThat(fresh.problems()).isEmpty();
            assertThat(fresh.newest()).isEqualTo("postgres/2026-11-28T02-00.dump.gz");
            assertThat(fresh.verified()).isNotNull();
            assertThat(verify(backups, policy, Instant.now().plus(Duration.ofHours(27))).problems()).singleElement()
                    .asString().startsWith("postgres/2026-11-28T02-00.dump.gz is 27h").endsWith("old, more than maxAge 26h");

            byte[] truncated = Arrays.copyOf(good, good.length / 2);
            Dumps.put(s3, bucket, "postgres/2026-11-28T03-00.dump.gz", truncated, Dumps.sha256(truncated));
            assertThat(verify(backups, policy, Instant.now()).problems()).containsExactly("postgres/2026-11-28T03-00.dump.gz ("
                    + truncated.length + " bytes) is not a whole gzip stream: truncated or corrupt");

            byte[] other = Dumps.archive("SELECT 1;\n");
            Dumps.put(s3, bucket, "postgres/2026-11-28T04-00.dump.gz", other, Dumps.sha256(good));
            assertThat(verify(backups, policy, Instant.now()).problems()).containsExactly("postgres/2026-11-28T04-00.dump.gz "
                    + "has SHA-256 " + Dumps.sha256(other) + ", its checksum object says " + Dumps.sha256(good));

            byte[] script = Dumps.gzip("\\! rm -rf /\nSELECT 1;\n");
            Dumps.put(s3, bucket, "postgres/2026-11-28T05-00.dump.gz", script, Dumps.sha256(script));
            Verification plain = verify(backups, policy, Instant.now());
            assertThat(plain.problems()).as("a plain SQL script is never restored: psql would run its meta-commands")
                    .containsExactly("postgres/2026-11-28T05-00.dump.gz is not a pg_dump custom-format archive: "
                            + "pg_restore cannot restore it");
            assertThat(plain.verified()).isNull();
        }
    }

    @Test
    void retentionDeletesOldDumpsOfItsOwnPrefixAndKeepsTheNewest(MotoEndpoint moto) throws Exception {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            S3Client s3 = clients.s3(null);
            s3.createBucket(r -> r.bucket(bucket));
            S3Backups backups = new S3Backups(clients);
            byte[] bytes = Dumps.archive("SELECT 1;\n");
            Dumps.put(s3, bucket, "postgres/2026-11-01T02-00.dump.gz", bytes, Dumps.sha256(bytes));
            Dumps.put(s3, bucket, "postgres/2026-11-02T02-00.dump.gz", bytes, Dumps.sha256(bytes));
            Dumps.put(s3, bucket, "postgres-archive/2026-01-01T02-00.dump.gz", bytes, Dumps.sha256(bytes));
            // moto stamps LastModified with its own clock, to the second: the newest dump is written
            // until its stamp (and its checksum's) is later than every older object's
            Instant older = backups.list(null, bucket, "").stream().map(StoredObject::lastModified)
                    .max(Comparator.naturalOrder()).orElseThrow();
            String newest = "postgres/2026-11-28T02-00.dump.gz";
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Dumps.put(s3, bucket, newest, bytes, Dumps.sha256(bytes));
                return backups.list(null, bucket, newest).stream().allMatch(o -> o.lastModified().isAfter(older));
            });
            BackupPolicy policy = policy(Duration.ofSeconds(1));
            // the retention's cutoff (now - 1 s) falls after every older stamp and not after the newest's
            Instant now = older.plusSeconds(2);

            List<String> expired = Retention.expired(policy, backups.list(null, bucket, policy.prefix()), now, 1)
                    .stream().map(StoredObject::key).toList();
            assertThat(expired).containsExactlyInAnyOrder("postgres/2026-11-01T02-00.dump.gz",
                    "postgres/2026-11-01T02-00.dump.gz.sha256", "postgres/2026-11-02T02-00.dump.gz",
                    "postgres/2026-11-02T02-00.dump.gz.sha256");
            backups.delete(null, bucket, expired);

            List<StoredObject> left = backups.list(null, bucket, "");
            assertThat(left).extracting(StoredObject::key).containsExactlyInAnyOrder("postgres/2026-11-28T02-00.dump.gz",
                    "postgres/2026-11-28T02-00.dump.gz.sha256", "postgres-archive/2026-01-01T02-00.dump.gz",
                    "postgres-archive/2026-01-01T02-00.dump.gz.sha256");
            // later than any retention: every dump left is past it, and the newest still stays
            assertThat(Retention.expired(policy, backups.list(null, bucket, policy.prefix()),
                    Instant.now().plus(Duration.ofHours(1)), 1))
                    .as("the newest dump and its checksum are kept whatever their age").isEmpty();
        }
    }

    @Test
    void aMissingBucketIsUnavailableNotACrash(MotoEndpoint moto) {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            assertThatThrownBy(() -> new S3Backups(clients).list(null, "no-such-bucket", "postgres/"))
                    .isInstanceOf(BackupStore.Unavailable.class).hasMessageStartingWith("cannot list s3://no-such-bucket/postgres/");
        }
    }
}
