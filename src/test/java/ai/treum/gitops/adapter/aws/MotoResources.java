package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.model.AwsResource;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.rds.RdsClient;
import ai.treum.gitops.core.aws.RecordOwnership;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Creates declared AWS resources in moto_server exactly as declared, as someone would by hand. */
final class MotoResources {

    /** The environment the records created here are marked as: the bundled production's, as the tests declare it. */
    static final String MARKED_AS = "production";

    private MotoResources() {
    }

    static void create(AwsClients clients, String region, List<AwsResource> declared) {
        for (AwsResource r : declared) {
            Map<String, Object> f = r.fields();
            switch (r.kind()) {
                case "RdsInstance" -> {
                    try (RdsClient rds = clients.rds(region)) {
                        rds.createDBInstance(c -> c.dbInstanceIdentifier(r.id()).engine((String) f.get("engine"))
                                .engineVersion((String) f.get("engineVersion")).dbInstanceClass((String) f.get("instanceClass"))
                                .allocatedStorage(integer(f.get("allocatedStorage"))).multiAZ((Boolean) f.get("multiAZ"))
                                .backupRetentionPeriod(integer(f.get("backupRetentionPeriod")))
                                .deletionProtection((Boolean) f.get("deletionProtection"))
                                .storageEncrypted((Boolean) f.get("storageEncrypted"))
                                .masterUsername("treum").masterUserPassword("not-a-real-password"));
                    }
                }
                case "ElastiCacheReplicationGroup" -> {
                    int nodes = integer(f.get("numCacheClusters"));
                    try (ElastiCacheClient cache = clients.elastiCache(region)) {
                        // moto sizes a group by replicasPerNodeGroup, where AWS takes numCacheClusters
                        cache.createReplicationGroup(c -> c.replicationGroupId(r.id()).replicationGroupDescription("test")
                                .engine("redis").engineVersion((String) f.get("engineVersion"))
                                .cacheNodeType((String) f.get("nodeType")).numCacheClusters(nodes)
                                .replicasPerNodeGroup(nodes - 1).automaticFailoverEnabled((Boolean) f.get("automaticFailover")));
                        // and does not list a group's members as cache clusters, as AWS does
                        for (int i = 1; i <= nodes; i++) {
                            String member = String.format("%s-%03d", r.id(), i);
                            cache.createCacheCluster(c -> c.cacheClusterId(member).replicationGroupId(r.id()).engine("redis")
                                    .engineVersion((String) f.get("engineVersion")).cacheNodeType((String) f.get("nodeType")));
                        }
                    }
                }
                case "S3Bucket" -> bucket(clients.s3(region), r);
                case "Route53RecordSet" -> record(clients.route53(region), r);
                case "SecretsManagerSecret" -> {
                    try (SecretsManagerClient secrets = clients.secretsManager(region)) {
                        secrets.createSecret(c -> c.name(r.id()).description((String) f.get("description"))
                                .secretString("a value that must never be read"));
                    }
                }
                case "EksNodegroup" -> {
                    String cluster = r.id().substring(0, r.id().indexOf('/'));
                    try (EksClient eks = clients.eks(region)) {
                        if (eks.listClusters().clusters().stream().noneMatch(cluster::equals)) {
                            eks.createCluster(c -> c.name(cluster).roleArn("arn:aws:iam::123456789012:role/eks")
                                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1")));
                        }
                        @SuppressWarnings("unchecked")
                        List<String> types = (List<String>) f.get("instanceTypes");
                        eks.createNodegroup(c -> c.clusterName(cluster).nodegroupName(r.name())
                                .nodeRole("arn:aws:iam::123456789012:role/node").subnets("subnet-1")
                                .instanceTypes(types).scalingConfig(s -> s.minSize(integer(f.get("minSize")))
                                        .maxSize(integer(f.get("maxSize"))).desiredSize(integer(f.get("desiredSize")))));
                    }
                }
                default -> throw new IllegalArgumentException(r.kind());
            }
        }
    }

    private static void bucket(S3Client s3, AwsResource r) {
        try (s3) {
            s3.createBucket(c -> c.bucket(r.id()));
            s3.putBucketVersioning(c -> c.bucket(r.id()).versioningConfiguration(v -> v.status(
                    Boolean.TRUE.equals(r.fields().get("versioning")) ? BucketVersioningStatus.ENABLED
                            : BucketVersioningStatus.SUSPENDED)));
            s3.putBucketEncryption(c -> c.bucket(r.id()).serverSideEncryptionConfiguration(e -> e.rules(rule -> rule
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
            s3.putPublicAccessBlock(c -> c.bucket(r.id()).publicAccessBlockConfiguration(b -> b.blockPublicAcls(true)
                    .ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
            s3.putBucketLifecycleConfiguration(c -> c.bucket(r.id()).lifecycleConfiguration(l -> l.rules(rule -> rule
                    .id("expire-old-backups").filter(p -> p.prefix("postgres/")).status(ExpirationStatus.ENABLED)
                    .expiration(e -> e.days(90)).noncurrentVersionExpiration(e -> e.noncurrentDays(30)))));
        }
    }

    private static void record(Route53Client route53, AwsResource r) {
        try (route53) {
            String[] id = r.id().split("/");
            String zoneId = route53.listHostedZonesByName(z -> z.dnsName(id[0])).hostedZones().stream()
                    .filter(z -> z.name().equals(id[0] + ".")).findFirst()
                    .map(z -> z.id())
                    .orElseGet(() -> route53.createHostedZone(z -> z.name(id[0]).callerReference(id[0])).hostedZone().id());
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) r.fields().get("values");
            // the record and its mark as environment production's, as the daemon writes them
            route53.changeResourceRecordSets(c -> c.hostedZoneId(zoneId).changeBatch(b -> b.changes(change -> change
                    .action(ChangeAction.CREATE).resourceRecordSet(s -> s.name(id[1]).type(RRType.fromValue(id[2]))
                            .ttl((Long) r.fields().get("ttl"))
                            .resourceRecords(values.stream().map(v -> software.amazon.awssdk.services.route53.model
                                    .ResourceRecord.builder().value(v).build()).toList())), mark -> mark
                    .action(ChangeAction.CREATE).resourceRecordSet(s -> s.name(RecordOwnership.markName(id[1]))
                            .type(RRType.TXT).ttl(300L).resourceRecords(software.amazon.awssdk.services.route53.model
                                    .ResourceRecord.builder().value(RecordOwnership.markValue(MARKED_AS)).build())))));
        }
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Long) value).intValue();
    }
}
