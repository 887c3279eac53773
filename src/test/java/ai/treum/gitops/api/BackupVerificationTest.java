package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.BackupRepoResource;
import ai.treum.gitops.peers.Dumps;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.LocalPeersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The daemon verifies every BackupPolicy's newest dump in S3 (moto) on its interval: a good dump
 * is the last success, in the status API and as a metric; a truncated newer one is flagged and the
 * last success stays; a passed restore drill's record is the drill's last success; the live state
 * is exported beside the dumps.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BackupRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class BackupVerificationTest {

    @Test
    void theNewestDumpIsVerifiedFromOutsideAndExported() throws Exception {
        try (S3Client s3 = s3()) {
            bucket(s3);
            byte[] good = Dumps.archive("INSERT INTO trades VALUES (1);\n".repeat(100));
            Dumps.put(s3, BackupRepoResource.BUCKET, "postgres/2026-11-28T02-00.dump.gz", good, Dumps.sha256(good));

            await().atMost(Duration.ofSeconds(60)).until(() -> backup().getString("lastSuccess") != null);
            JsonPath verified = backup();
            assertThat(verified.getString("newest")).isEqualTo("postgres/2026-11-28T02-00.dump.gz");
            assertThat(verified.getList("problems")).isEmpty();
            String lastSuccess = verified.getString("lastSuccess");
            await().atMost(Duration.ofSeconds(30)).until(() -> given().accept("text/plain").get("/q/metrics").asString()
                    .contains("treum_gitops_backup_last_success_timestamp_seconds{environment=\"backed-up\",policy=\"postgres\",}"));
            assertThat(given().accept("text/plain").get("/q/metrics").asString())
                    .contains("treum_gitops_backup_max_age_seconds{environment=\"backed-up\",policy=\"postgres\",} 93600.0");

            byte[] truncated = Arrays.copyOf(good, good.length / 2);
            Dumps.put(s3, BackupRepoResource.BUCKET, "postgres/2026-11-28T03-00.dump.gz", truncated, Dumps.sha256(truncated));
            await().atMost(Duration.ofSeconds(30)).until(() -> !backup().getList("problems").isEmpty());
            assertThat(backup().getList("problems", String.class)).containsExactly("postgres/2026-11-28T03-00.dump.gz ("
                    + truncated.length + " bytes) is not a whole gzip stream: truncated or corrupt");
            assertThat(backup().getString("lastSuccess")).isEqualTo(lastSuccess);
            await().atMost(Duration.ofSeconds(30)).until(() -> given().accept("text/plain").get("/q/metrics").asString()
                    .contains("treum_gitops_drift_resources{environment=\"backed-up\",kind=\"BackupPolicy\",source=\"backup\",} 1.0"));

            s3.putObject(r -> r.bucket(BackupRepoResource.BUCKET).key("postgres/drills/2026-11-28T04-00-00Z.json"),
                    RequestBody.fromString("{\"passed\": true, \"dump\": \"postgres/2026-11-28T02-00.dump.gz\"}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> backup().getString("lastDrill") != null);
            assertThat(given().accept("text/plain").get("/q/metrics").asString()).contains(
                    "treum_gitops_restore_drill_last_success_timestamp_seconds{environment=\"backed-up\",policy=\"postgres\",}",
                    "treum_gitops_restore_drill_max_interval_seconds{environment=\"backed-up\",policy=\"postgres\",} 626400.0");
        }
    }

    @Test
    void theLiveStateIsExportedWithoutSecretsOrServerBookkeeping() {
        try (S3Client s3 = s3()) {
            bucket(s3);
            await().atMost(Duration.ofSeconds(60)).until(() -> exports(s3).size() > 0);
            String export = s3.getObjectAsBytes(r -> r.bucket(BackupRepoResource.BUCKET).key(exports(s3).get(0)))
                    .asUtf8String();
            assertThat(export).contains("kind: ConfigMap", "name: settings", "LEVEL: info", "kind: Namespace")
                    .doesNotContain("kind: Secret", BackupRepoResource.SECRET, "managedFields", "resourceVersion", "uid:");
        }
    }

    private static S3Client s3() {
        return S3Client.builder().endpointOverride(LocalPeers.get().motoUrl()).region(Region.EU_WEST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** The policy's bucket, which either test may be the first to need. */
    private static void bucket(S3Client s3) {
        try {
            s3.createBucket(r -> r.bucket(BackupRepoResource.BUCKET));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // made by the other test
        }
    }

    private static List<String> exports(S3Client s3) {
        try {
            return s3.listObjectsV2(r -> r.bucket(BackupRepoResource.BUCKET).prefix("postgres/state/")).contents().stream()
                    .map(S3Object::key).toList();
        } catch (NoSuchBucketException e) {
            return List.of();
        }
    }

    private static JsonPath backup() {
        return new JsonPath(given().get("/api/v1/environments/backed-up").then().statusCode(200).extract().asString())
                .setRootPath("backups.find { it.policy == 'postgres' }");
    }

}
