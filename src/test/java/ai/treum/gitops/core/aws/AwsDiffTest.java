package ai.treum.gitops.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.AwsResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared fields against live ones, and what enforce may do about each difference. */
class AwsDiffTest {

    @Test
    void onlyDeclaredFieldsAndDeclaredKeysCount() {
        AwsResource bucket = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: S3Bucket
                metadata: {name: logs}
                spec:
                  versioning: true
                  publicAccessBlock: {blockPublicAcls: true}
                """).get(0);
        Map<String, Object> live = Map.of("versioning", true, "encryption", "aws:kms",
                "publicAccessBlock", Map.of("blockPublicAcls", true, "ignorePublicAcls", false));
        assertThat(AwsDiff.diff(List.of(bucket), Map.of("S3Bucket/logs", live), "shop")).isEmpty();
    }

    @Test
    void growOnlyFieldsMayGrowAndNeedAPersonToShrink() {
        AwsResource db = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: RdsInstance
                metadata: {name: orders}
                spec: {allocatedStorage: 200, instanceClass: db.t3.large, storageEncrypted: true}
                """).get(0);
        List<AwsDrift> grow = AwsDiff.diff(List.of(db), Map.of("RdsInstance/orders",
                Map.of("allocatedStorage", 100L, "instanceClass", "db.t3.large", "storageEncrypted", true)), "shop");
        assertThat(grow).singleElement().satisfies(d -> assertThat(d.enforceable()).isTrue());
        List<AwsDrift> shrink = AwsDiff.diff(List.of(db), Map.of("RdsInstance/orders",
                Map.of("allocatedStorage", 300L, "instanceClass", "db.t3.medium", "storageEncrypted", false)), "shop");
        assertThat(shrink).extracting(Object::toString).containsExactly(
                "RdsInstance/orders: spec.allocatedStorage is 300 in AWS, 200 in Git (manual action needed: lowering "
                        + "allocatedStorage deletes data, capacity or backups)",
                "RdsInstance/orders: spec.instanceClass is db.t3.medium in AWS, db.t3.large in Git",
                "RdsInstance/orders: spec.storageEncrypted is false in AWS, true in Git (manual action needed: changing "
                        + "storageEncrypted replaces the resource or is not on the allow-list)");
    }

    @Test
    void protectionsAreOnlyEverTurnedOnAndSizesOnlyGrow() {
        AwsResource bucket = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: S3Bucket
                metadata: {name: backups}
                spec:
                  versioning: false
                  publicAccessBlock: {blockPublicAcls: false, blockPublicPolicy: true}
                  lifecycleRules: [{id: expire, expirationDays: 1}]
                """).get(0);
        List<AwsDrift> loosen = AwsDiff.diff(List.of(bucket), Map.of("S3Bucket/backups", Map.of("versioning", true,
                "publicAccessBlock", Map.of("blockPublicAcls", true, "blockPublicPolicy", false),
                "lifecycleRules", List.of(Map.of("id", "expire", "expirationDays", 30L)))), "shop");
        assertThat(loosen).as("Git may ask to loosen a bucket; enforce never does").noneMatch(AwsDrift::enforceable)
                .hasSize(3);
        AwsResource tighter = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: S3Bucket
                metadata: {name: backups}
                spec: {versioning: true, publicAccessBlock: {blockPublicAcls: true, blockPublicPolicy: true}}
                """).get(0);
        assertThat(AwsDiff.diff(List.of(tighter), Map.of("S3Bucket/backups", Map.of("versioning", false,
                "publicAccessBlock", Map.of("blockPublicAcls", false, "blockPublicPolicy", true))), "shop"))
                .hasSize(2).allMatch(AwsDrift::enforceable);

        AwsResource nodes = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: EksNodegroup
                metadata: {name: general}
                spec: {cluster: treum, minSize: 2, desiredSize: 3, maxSize: 10}
                """).get(0);
        assertThat(AwsDiff.diff(List.of(nodes), Map.of("EksNodegroup/treum/general",
                Map.of("minSize", 3L, "desiredSize", 7L, "maxSize", 12L)), "shop")).as("scaled up by hand or by the autoscaler")
                .hasSize(3).noneMatch(AwsDrift::enforceable);
        AwsResource retention = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: RdsInstance
                metadata: {name: orders}
                spec: {backupRetentionPeriod: 0}
                """).get(0);
        assertThat(AwsDiff.diff(List.of(retention), Map.of("RdsInstance/orders", Map.of("backupRetentionPeriod", 7L)), "shop"))
                .as("enforce never turns backups off").singleElement().satisfies(d -> assertThat(d.enforceable()).isFalse());
    }

    @Test
    void recordValuesCompareAsASetAndAMissingRecordMayBeUpserted() {
        AwsResource record = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Route53RecordSet
                metadata: {name: api}
                spec: {zone: treum.ai, name: api.treum.ai, type: A, ttl: 60, values: [10.0.0.1, 10.0.0.2]}
                """).get(0);
        assertThat(record.id()).isEqualTo("treum.ai/api.treum.ai./A");
        assertThat(AwsDiff.diff(List.of(record), Map.of("Route53RecordSet/treum.ai/api.treum.ai./A",
                Map.of("ttl", 60L, "values", List.of("10.0.0.2", "10.0.0.1"))), "shop")).isEmpty();
        assertThat(AwsDiff.diff(List.of(record), Map.of(), "shop")).singleElement().satisfies(d -> {
            assertThat(d.missing()).isTrue();
            assertThat(d.enforceable()).isTrue();
        });
    }

    @Test
    void aRecordChangesOnlyWhereItsMarkNamesTheEnvironment() {
        AwsResource record = parse("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Route53RecordSet
                metadata: {name: api}
                spec: {zone: treum.ai, name: api.treum.ai, type: A, ttl: 60, values: [10.0.0.1]}
                """).get(0);
        Map<String, Object> drifted = Map.of("ttl", 300L, "values", List.of("10.0.0.1"));
        String key = "Route53RecordSet/treum.ai/api.treum.ai./A";
        String mark = RecordOwnership.liveKey("treum.ai", "api.treum.ai.");

        assertThat(AwsDiff.diff(List.of(record), Map.of(key, drifted, mark, Map.of("environment", "shop")), "shop"))
                .singleElement().satisfies(d -> assertThat(d.enforceable()).isTrue());
        assertThat(AwsDiff.diff(List.of(record), Map.of(key, drifted), "shop")).singleElement()
                .hasToString("Route53RecordSet/treum.ai/api.treum.ai./A: spec.ttl is 300 in AWS, 60 in Git (manual action "
                        + "needed: the record is not marked as environment shop's (TXT _treum-gitops.api.treum.ai.))");
        assertThat(AwsDiff.diff(List.of(record), Map.of(key, drifted, mark, Map.of("environment", "billing")), "shop"))
                .singleElement().satisfies(d -> assertThat(d.note()).isEqualTo("the record is marked as environment billing's"));
        assertThat(AwsDiff.diff(List.of(record), Map.of(mark, Map.of("environment", "billing")), "shop"))
                .as("a missing record whose name another environment marks is not created").singleElement()
                .satisfies(d -> assertThat(d.enforceable()).isFalse());
        assertThat(RecordOwnership.environmentOf(RecordOwnership.markValue("shop"))).contains("shop");
        assertThat(RecordOwnership.environmentOf("\"v=spf1 -all\"")).isEmpty();
    }

    @Test
    void unknownFieldsWrongTypesAndMissingIdentityRejectTheRevision() {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("environments/prod/aws/bad.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: RdsInstance
                metadata: {name: orders}
                spec: {instanceSize: large, multiAZ: "yes"}
                ---
                apiVersion: gitops.treum.ai/v1alpha1
                kind: EksNodegroup
                metadata: {name: general}
                spec: {minSize: 1}
                """)), null);
        AwsResources.Result result = AwsResources.parse(((LoadResult.Loaded) loaded).resources());
        assertThat(result.resources()).isEmpty();
        assertThat(result.errors()).extracting(Object::toString).containsExactly(
                "environments/prod/aws/bad.yaml:1: aws-field: RdsInstance/orders spec.instanceSize is not a field of "
                        + "RdsInstance; known: engine, engineVersion, instanceClass, allocatedStorage, multiAZ, readReplicas, "
                        + "backupRetentionPeriod, deletionProtection, storageEncrypted",
                "environments/prod/aws/bad.yaml:1: aws-field: RdsInstance/orders spec.multiAZ must be bool",
                "environments/prod/aws/bad.yaml:6: aws-field: EksNodegroup/general has no spec.cluster");
    }

    private static List<AwsResource> parse(String yaml) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("aws.yaml", yaml)), null);
        AwsResources.Result result = AwsResources.parse(((LoadResult.Loaded) loaded).resources());
        assertThat(result.errors()).isEmpty();
        return result.resources();
    }
}
