package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.aws.AwsChange;
import ai.treum.gitops.core.aws.AwsCheck;
import ai.treum.gitops.core.aws.AwsDrift;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.AwsPolicy;
import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.StubbingProxy;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import ai.treum.gitops.reconcile.AwsReconcilerAccess;
import ai.treum.gitops.reconcile.History;
import ai.treum.gitops.reconcile.MemoryHistoryStore;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Drift of each declared kind against moto_server: reported in observe mode, put back in enforce
 * mode where the allow-list permits, and never a delete or a replacement.
 */
@Tag("peer")
class AwsReconcilerTest {

    private static final String REGION = "us-east-1";
    private static final Revision REVISION = new Revision("0123456789abcdef0123456789abcdef01234567");

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<ObjectEvent> events = new CopyOnWriteArrayList<>();
    private final History history = new History(new MemoryHistoryStore(), 100);
    private URI moto;
    private AwsClients clients;
    private List<AwsResource> declared;

    @BeforeEach
    void declaredResourcesExistAsDeclared() throws Exception {
        moto = LocalPeers.get().motoUrl();
        MotoPeer.reset(moto);
        clients = clients(moto);
        declared = AwsStateReaderTest.production();
        MotoResources.create(moto, REGION, declared);
        calls.clear();
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void observeReportsEveryOutOfBandChangeAndChangesNothing() {
        changeByHand();

        AwsCheck check = check(clients, false);

        assertThat(check.error()).isNull();
        assertThat(check.changes()).isEmpty();
        assertThat(lines(check.drift())).containsExactlyInAnyOrder(
                "RdsInstance/treum-production: spec.instanceClass is db.t3.xlarge in AWS, db.t3.large in Git",
                "RdsInstance/treum-production: spec.backupRetentionPeriod is 1 in AWS, 14 in Git",
                "ElastiCacheReplicationGroup/treum-production-redis: spec.nodeType is cache.t3.large in AWS, cache.t3.medium in Git",
                "S3Bucket/treum-production-backups: spec.versioning is false in AWS, true in Git",
                "S3Bucket/treum-production-backups: spec.encryption is aws:kms in AWS, AES256 in Git (manual action needed: "
                        + "changing encryption replaces the resource or is not on the allow-list)",
                "S3Bucket/treum-production-backups: spec.publicAccessBlock is {} in AWS, {blockPublicAcls=true, "
                        + "ignorePublicAcls=true, blockPublicPolicy=true, restrictPublicBuckets=true} in Git",
                "Route53RecordSet/treum.ai/api.treum.ai./CNAME: spec.ttl is 60 in AWS, 300 in Git",
                "SecretsManagerSecret/treum/production/api: spec.description is changed by hand in AWS, treum-api database "
                        + "and Redis URLs in Git (manual action needed: changing description replaces the resource or is "
                        + "not on the allow-list)",
                "EksNodegroup/treum-production/general: spec.desiredSize is 5 in AWS, 2 in Git (manual action needed: "
                        + "lowering desiredSize deletes data, capacity or backups)");
        assertThat(calls).isNotEmpty().allMatch(c -> c.contains(":Describe") || c.contains(":List") || c.contains(":Get"));
        // nothing was put back
        assertThat(lines(check(clients, false).drift())).hasSize(9);
        assertThat(events).extracting(ObjectEvent::reason).containsOnly("AwsDriftDetected", "AwsManualActionNeeded");
        assertThat(events).isNotEmpty().allMatch(e -> e.key().kind().equals("Namespace") && e.key().name().equals("treum-production"));
    }

    @Test
    void enforcePutsBackWhatTheAllowListPermitsAndNothingElse() {
        changeByHand();

        AwsCheck check = check(clients, true);

        assertThat(check.changes()).isNotEmpty().allMatch(AwsChange::applied).extracting(c -> c.resource().toString())
                .containsExactlyInAnyOrder("RdsInstance/treum-production", "ElastiCacheReplicationGroup/treum-production-redis",
                        "S3Bucket/treum-production-backups", "Route53RecordSet/treum.ai/api.treum.ai./CNAME");
        assertThat(lines(check.remaining())).containsExactlyInAnyOrder(
                "S3Bucket/treum-production-backups: spec.encryption is aws:kms in AWS, AES256 in Git (manual action needed: "
                        + "changing encryption replaces the resource or is not on the allow-list)",
                "SecretsManagerSecret/treum/production/api: spec.description is changed by hand in AWS, treum-api database "
                        + "and Redis URLs in Git (manual action needed: changing description replaces the resource or is "
                        + "not on the allow-list)",
                "EksNodegroup/treum-production/general: spec.desiredSize is 5 in AWS, 2 in Git (manual action needed: "
                        + "lowering desiredSize deletes data, capacity or backups)");
        // read again: only what needs a person is left
        assertThat(lines(check(clients, true).drift())).isEqualTo(lines(check.remaining()));
        assertThat(calls).isNotEmpty().noneMatch(c -> c.contains(":Delete") || c.contains(":Create"));
        assertThat(events).extracting(ObjectEvent::reason).contains("AwsChanged");
        assertThat(history.recent("production", 10).records()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(HistoryRecord.Kind.AWS);
            assertThat(r.revision()).isEqualTo(REVISION.sha());
            assertThat(r.result()).isEqualTo("modified");
            assertThat(r.counts()).isEqualTo(Map.of("modified", 4));
        });
    }

    @Test
    void deletedAndReplacedResourcesAreReportedNeverRecreatedOrReplaced() {
        try (var rds = clients.rds(REGION); var s3 = clients.s3(REGION); var route53 = clients.route53(REGION)) {
            rds.modifyDBInstance(m -> m.dbInstanceIdentifier("treum-production").engineVersion("16.1").applyImmediately(true));
            s3.deleteBucketLifecycle(d -> d.bucket("treum-production-backups"));
            s3.deletePublicAccessBlock(d -> d.bucket("treum-production-backups"));
            s3.deleteBucketEncryption(d -> d.bucket("treum-production-backups"));
            s3.deleteBucket(d -> d.bucket("treum-production-backups"));
            String zone = route53.listHostedZones().hostedZones().get(0).id();
            route53.changeResourceRecordSets(c -> c.hostedZoneId(zone).changeBatch(b -> b.changes(ch -> ch
                    .action(ChangeAction.DELETE).resourceRecordSet(s -> s.name("api.treum.ai.").type(RRType.CNAME).ttl(300L)
                            .resourceRecords(ResourceRecord.builder()
                                    .value("treum-production-ingress.ap-south-1.elb.amazonaws.com").build())))));
        }
        calls.clear();

        AwsCheck check = check(clients, true);

        assertThat(lines(check.remaining())).containsExactlyInAnyOrder(
                "RdsInstance/treum-production: spec.engineVersion is 16.1 in AWS, 15.4 in Git (manual action needed: "
                        + "changing engineVersion replaces the resource or is not on the allow-list)",
                "S3Bucket/treum-production-backups: does not exist in AWS (manual action needed: the daemon never "
                        + "creates S3Buckets)");
        // a declared DNS record is the one thing enforce may create: UPSERT
        assertThat(check.changes()).singleElement().satisfies(c -> assertThat(c.toString())
                .isEqualTo("Route53RecordSet/treum.ai/api.treum.ai./CNAME: UPSERT api.treum.ai. CNAME (marked "
                        + "_treum-gitops.api.treum.ai.)"));
        assertThat(calls).isNotEmpty().noneMatch(c -> c.contains(":Delete") || c.contains(":Create") || c.contains(":Restore"))
                .contains("route53:ChangeResourceRecordSets:success");
    }

    @Test
    void moreReadReplicasAreCreatedFromTheInstanceAndFewerAreLeftToAPerson() {
        declared = declared.stream().map(r -> !r.kind().equals("RdsInstance") ? r
                : new AwsResource(r.kind(), r.name(), r.id(), with(r.fields(), "readReplicas", 2L), r.source())).toList();

        assertThat(check(clients, false).changes()).isEmpty();
        AwsCheck enforced = check(clients, true);

        assertThat(enforced.changes()).singleElement().hasToString("RdsInstance/treum-production: CreateDBInstanceReadReplica "
                + "treum-production-replica-1; CreateDBInstanceReadReplica treum-production-replica-2");
        assertThat(check(clients, true).drift()).isEmpty();

        declared = declared.stream().map(r -> !r.kind().equals("RdsInstance") ? r
                : new AwsResource(r.kind(), r.name(), r.id(), with(r.fields(), "readReplicas", 1L), r.source())).toList();
        calls.clear();
        assertThat(check(clients, true).remaining()).extracting(Object::toString).containsExactly(
                "RdsInstance/treum-production: spec.readReplicas is 2 in AWS, 1 in Git (manual action needed: lowering "
                        + "readReplicas deletes data, capacity or backups)");
        assertThat(calls).isNotEmpty().noneMatch(c -> c.contains(":Delete"));
    }

    @Test
    void moreCacheNodesAreAskedForWithIncreaseReplicaCount() throws Exception {
        // moto_server has no IncreaseReplicaCount: this one call is answered by a stub, all others by moto
        AtomicInteger stubbed = new AtomicInteger();
        try (StubbingProxy proxy = new StubbingProxy(moto, request -> {
            if (!request.body().contains("Action=IncreaseReplicaCount")) {
                return Optional.empty();
            }
            stubbed.incrementAndGet();
            return Optional.of(new StubbingProxy.Canned(200, "text/xml", """
                    <IncreaseReplicaCountResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
                      <IncreaseReplicaCountResult><ReplicationGroup>
                        <ReplicationGroupId>treum-production-redis</ReplicationGroupId><Status>modifying</Status>
                      </ReplicationGroup></IncreaseReplicaCountResult>
                      <ResponseMetadata><RequestId>stub-1</RequestId></ResponseMetadata>
                    </IncreaseReplicaCountResponse>"""));
        }); AwsClients proxied = clients(proxy.url())) {
            declared = declared.stream().map(r -> !r.kind().equals("ElastiCacheReplicationGroup") ? r
                    : new AwsResource(r.kind(), r.name(), r.id(), with(r.fields(), "numCacheClusters", 5L), r.source()))
                    .toList();

            AwsCheck check = check(proxied, true);

            assertThat(check.drift()).extracting(Object::toString).containsExactly(
                    "ElastiCacheReplicationGroup/treum-production-redis: spec.numCacheClusters is 3 in AWS, 5 in Git");
            assertThat(check.changes()).singleElement().satisfies(c -> {
                assertThat(c.applied()).isTrue();
                assertThat(c.detail()).isEqualTo("IncreaseReplicaCount to 4");
            });
            assertThat(stubbed).hasValue(1);
            assertThat(proxy.seen()).filteredOn(s -> s.body().contains("Action=IncreaseReplicaCount")).singleElement()
                    .satisfies(s -> assertThat(s.body()).contains("ReplicationGroupId=treum-production-redis",
                            "NewReplicaCount=4", "ApplyImmediately=true"));
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffAndDoesNotFailTheCheck() throws Exception {
        AtomicInteger throttled = new AtomicInteger();
        try (StubbingProxy proxy = new StubbingProxy(moto, request -> {
            if (!request.body().contains("Action=DescribeDBInstances") || throttled.get() >= 2) {
                return Optional.empty();
            }
            throttled.incrementAndGet();
            return Optional.of(new StubbingProxy.Canned(400, "text/xml", """
                    <ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
                      <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
                      <RequestId>stub-throttle</RequestId>
                    </ErrorResponse>"""));
        }); AwsClients proxied = clients(proxy.url())) {
            AwsCheck check = check(proxied, false);

            assertThat(check.error()).isNull();
            assertThat(check.drift()).isEmpty();
            assertThat(throttled).hasValue(2);
            List<Long> attempts = proxy.seen().stream().filter(s -> s.body().contains("Action=DescribeDBInstances"))
                    .map(StubbingProxy.Seen::at).toList();
            assertThat(attempts).hasSize(3);
            assertThat(calls).contains("rds:DescribeDBInstances:success").doesNotContain("rds:DescribeDBInstances:throttled");
            // backoff with half jitter: at least 100 ms, then at least 200 ms
            assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Duration.ofNanos(attempts.get(2) - attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void aRecordNotMarkedAsTheEnvironmentsIsNeverOverwritten() {
        try (var route53 = clients.route53(REGION)) {
            String zone = route53.listHostedZones().hostedZones().get(0).id();
            // somebody else's record of the same name: its mark is gone, its TTL is theirs
            route53.changeResourceRecordSets(c -> c.hostedZoneId(zone).changeBatch(b -> b.changes(ch -> ch
                    .action(ChangeAction.DELETE).resourceRecordSet(s -> s.name("_treum-gitops.api.treum.ai.").type(RRType.TXT)
                            .ttl(300L).resourceRecords(ResourceRecord.builder()
                                    .value("\"heritage=treum-gitops,environment=production\"").build())), ch -> ch
                    .action(ChangeAction.UPSERT).resourceRecordSet(s -> s.name("api.treum.ai.").type(RRType.CNAME).ttl(60L)
                            .resourceRecords(ResourceRecord.builder()
                                    .value("treum-production-ingress.ap-south-1.elb.amazonaws.com").build())))));
        }
        calls.clear();

        AwsCheck check = check(clients, true);

        assertThat(check.changes()).isEmpty();
        assertThat(lines(check.remaining())).containsExactly("Route53RecordSet/treum.ai/api.treum.ai./CNAME: spec.ttl is 60 "
                + "in AWS, 300 in Git (manual action needed: the record is not marked as environment production's (TXT "
                + "_treum-gitops.api.treum.ai.))");
        assertThat(calls).isNotEmpty().noneMatch(c -> c.contains(":Change"));
    }

    private void changeByHand() {
        try (var rds = clients.rds(REGION); var cache = clients.elastiCache(REGION); var s3 = clients.s3(REGION);
                var route53 = clients.route53(REGION); var secrets = clients.secretsManager(REGION); var eks = clients.eks(REGION)) {
            rds.modifyDBInstance(m -> m.dbInstanceIdentifier("treum-production").dbInstanceClass("db.t3.xlarge")
                    .backupRetentionPeriod(1).applyImmediately(true));
            cache.modifyReplicationGroup(m -> m.replicationGroupId("treum-production-redis").cacheNodeType("cache.t3.large")
                    .applyImmediately(true));
            s3.putBucketVersioning(p -> p.bucket("treum-production-backups")
                    .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
            s3.deletePublicAccessBlock(d -> d.bucket("treum-production-backups"));
            s3.putBucketEncryption(p -> p.bucket("treum-production-backups").serverSideEncryptionConfiguration(e -> e
                    .rules(r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
            String zone = route53.listHostedZones().hostedZones().get(0).id();
            route53.changeResourceRecordSets(c -> c.hostedZoneId(zone).changeBatch(b -> b.changes(ch -> ch
                    .action(ChangeAction.UPSERT).resourceRecordSet(s -> s.name("api.treum.ai.").type(RRType.CNAME).ttl(60L)
                            .resourceRecords(ResourceRecord.builder()
                                    .value("treum-production-ingress.ap-south-1.elb.amazonaws.com").build())))));
            secrets.updateSecret(u -> u.secretId("treum/production/api").description("changed by hand"));
            eks.updateNodegroupConfig(u -> u.clusterName("treum-production").nodegroupName("general")
                    .scalingConfig(s -> s.minSize(1).maxSize(5).desiredSize(5)));
        }
        calls.clear();
    }

    private AwsCheck check(AwsClients via, boolean enforce) {
        EnvironmentSpec environment = new EnvironmentSpec("production", "treum-production",
                EnvironmentSpec.SyncPolicy.defaults(), new AwsPolicy(REGION, enforce, Duration.ofMinutes(5), true));
        return AwsReconcilerAccess.reconciler(new AwsStateReader(via), new AwsChanges(via), (env, e) -> events.add(e),
                history).check(environment, REVISION, declared, true);
    }

    private AwsClients clients(URI endpoint) {
        return new AwsClients(Optional.of(REGION), Optional.of(endpoint),
                (service, operation, result) -> calls.add(service + ":" + operation + ":" + result));
    }

    private static Map<String, Object> with(Map<String, Object> fields, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(fields);
        changed.put(field, value);
        return changed;
    }

    private static List<String> lines(List<AwsDrift> drift) {
        return drift.stream().map(Object::toString).toList();
    }

}
