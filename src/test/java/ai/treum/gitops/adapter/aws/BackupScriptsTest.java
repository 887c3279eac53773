package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.backup.BackupPolicy;
import ai.treum.gitops.core.backup.Retention;
import ai.treum.gitops.core.backup.StoredObject;
import ai.treum.gitops.core.backup.Verification;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.MotoPeer.MotoEndpoint;
import ai.treum.gitops.peers.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The very scripts the backup and restore-drill CronJobs run ({@code src/main/resources/backup/}),
 * against a real PostgreSQL and moto's S3: a dump of a database with known rows is uploaded with
 * its checksum, passes the daemon's own verification, and is restored into a scratch database
 * where the rows are counted; the scratch database is dropped either way.
 */
@ExtendWith(MotoPeer.class)
@Tag("peer")
class BackupScriptsTest {

    private static final String BUCKET = "treum-scripts-backups";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresServer postgres;

    @BeforeAll
    static void database() throws Exception {
        postgres = PostgresServer.start();
        postgres.psql("postgres", "CREATE DATABASE treum");
        postgres.psql("treum", "CREATE TABLE trades (id int PRIMARY KEY, symbol text NOT NULL); "
                + "INSERT INTO trades VALUES (1, 'BTC'), (2, 'ETH'), (3, 'SOL')");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static String run(MotoEndpoint moto, String script, Map<String, String> env, int expectedExit)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(LocalPeers.get().python().toString(),
                Path.of("src/main/resources/backup", script).toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("BACKUP_BUCKET", BUCKET, "BACKUP_PREFIX", "postgres/",
                "AWS_ENDPOINT_URL", moto.url().toString(), "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing", "AWS_DEFAULT_REGION", "eu-west-1"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(script + " said: " + output).isEqualTo(expectedExit);
        return output;
    }

    /** The scripts' bucket, which either test may be the first to need; each writes under a prefix of its own. */
    private static void bucket(S3Client s3) {
        try {
            s3.createBucket(r -> r.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // made by the other test
        }
    }

    @Test
    void aDumpIsTakenUploadedVerifiedAndRestoredWhereItsRowsAreChecked(MotoEndpoint moto) throws Exception {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            S3Client s3 = clients.s3(null);
            bucket(s3);
            S3Backups backups = new S3Backups(clients);

            String said = run(moto, "backup.py", Map.of("DATABASE_URL", postgres.url("treum")), 0);
            assertThat(said).startsWith("s3://" + BUCKET + "/postgres/").contains("sha256");
            List<StoredObject> objects = backups.list(null, BUCKET, "postgres/");
            StoredObject dump = Retention.newestDump(objects).orElseThrow();
            assertThat(objects).extracting(StoredObject::key).containsExactlyInAnyOrder(dump.key(), dump.key() + ".sha256");
            BackupPolicy policy = new BackupPolicy("postgres", "treum", "0 2 * * *", BUCKET, "postgres/", Duration.ofDays(30),
                    Duration.ofHours(26), "0 4 * * 0");
            Verification verified = Verification.of(policy, objects, backups.read(null, BUCKET, dump.key()), Instant.now());
            assertThat(verified.problems()).isEmpty();

            String drill = run(moto, "drill.py", Map.of("DATABASE_URL", postgres.url("postgres"),
                    "DRILL_CHECKS", "[{\"query\": \"SELECT count(*) FROM trades\", \"min\": 3}]"), 0);
            JsonNode result = JSON.readTree(drill.strip().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(result.path("passed").asBoolean()).isTrue();
            assertThat(result.path("dump").asText()).isEqualTo(dump.key());
            assertThat(result.path("checks").get(0).path("value").asDouble()).isEqualTo(3.0);
            assertThat(backups.list(null, BUCKET, "postgres/drills/")).hasSize(1);
            assertThat(postgres.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%'"))
                    .as("the scratch database is dropped").isEqualTo("0");

            String failing = run(moto, "drill.py", Map.of("DATABASE_URL", postgres.url("postgres"),
                    "DRILL_CHECKS", "[{\"query\": \"SELECT count(*) FROM trades\", \"min\": 4}]"), 1);
            JsonNode failed = JSON.readTree(failing.strip().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(failed.path("passed").asBoolean()).isFalse();
            assertThat(failed.path("checks").get(0).path("passed").asBoolean()).isFalse();
            assertThat(postgres.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void drillChecksOnlyReadAndAMetaCommandNeverRuns(MotoEndpoint moto) throws Exception {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            bucket(clients.s3(null));
            run(moto, "backup.py", Map.of("DATABASE_URL", postgres.url("treum"), "BACKUP_PREFIX", "guarded/"), 0);

            String writes = run(moto, "drill.py", Map.of("DATABASE_URL", postgres.url("postgres"), "BACKUP_PREFIX", "guarded/",
                    "DRILL_CHECKS",
                    "[{\"query\": \"SET default_transaction_read_only = off; COMMIT; DELETE FROM trades; SELECT 1\", "
                            + "\"min\": 1}]"), 1);
            JsonNode refused = JSON.readTree(writes.strip().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(refused.path("passed").asBoolean()).isFalse();
            assertThat(refused.path("error").asText()).as("a check that turns read-only transactions off still may not write")
                    .startsWith("psql failed: ").contains("permission denied for table trades");

            Path planted = Files.createTempDirectory("drill").resolve("planted");
            String meta = run(moto, "drill.py", Map.of("DATABASE_URL", postgres.url("postgres"), "BACKUP_PREFIX", "guarded/",
                    "DRILL_CHECKS",
                    "[{\"query\": \"\\\\! touch " + planted + "\", \"min\": 0}]"), 1);
            assertThat(JSON.readTree(meta.strip().lines().reduce((a, b) -> b).orElseThrow()).path("error").asText())
                    .endsWith("is a psql meta-command, not SQL");
            assertThat(planted).doesNotExist();

            assertThat(postgres.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%'"))
                    .isEqualTo("0");
            assertThat(postgres.psql("postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'restore_drill_%'"))
                    .as("the drill's reading role is dropped with its database").isEqualTo("0");
        }
    }
}
