package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.core.aws.AwsKind;
import ai.treum.gitops.core.aws.RecordOwnership;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.port.AwsReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Reads AWS in batches: one paginated describe or list per service for RDS, ElastiCache, Secrets
 * Manager and Route 53 zones, whatever the number of resources. S3 bucket settings, Route 53
 * records and EKS node groups have no batch read, so those are read per declared bucket, zone and
 * node group. Secret values are never read: the secrets list carries only their settings.
 */
@ApplicationScoped
public class AwsStateReader implements AwsReader {

    private final AwsClients clients;

    AwsStateReader(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public Map<String, Map<String, Object>> read(String region, List<AwsResource> declared) {
        Map<String, List<AwsResource>> byKind = declared.stream()
                .collect(Collectors.groupingBy(AwsResource::kind, LinkedHashMap::new, Collectors.toList()));
        Map<String, Map<String, Object>> live = new HashMap<>();
        byKind.forEach((kind, resources) -> {
            switch (AwsKind.of(kind).orElseThrow(() -> new IllegalArgumentException("no reader for " + kind))) {
                case RDS_INSTANCE -> rds(region, live);
                case ELASTICACHE_REPLICATION_GROUP -> elastiCache(region, resources, live);
                case S3_BUCKET -> resources.forEach(r -> s3(region, r, live));
                case ROUTE53_RECORD_SET -> route53(region, resources, live);
                case SECRETS_MANAGER_SECRET -> secrets(region, live);
                case EKS_NODEGROUP -> eks(region, resources, live);
            }
        });
        return live;
    }

    private void rds(String region, Map<String, Map<String, Object>> live) {
        try (RdsClient rds = clients.rds(region)) {
            for (DBInstance db : rds.describeDBInstancesPaginator().dbInstances()) {
                // a change waiting for the maintenance window counts as made, so it is not asked for again
                PendingModifiedValues pending = db.pendingModifiedValues();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("engine", db.engine());
                fields.put("engineVersion", db.engineVersion());
                fields.put("instanceClass", pending != null && pending.dbInstanceClass() != null
                        ? pending.dbInstanceClass() : db.dbInstanceClass());
                fields.put("allocatedStorage", number(pending != null && pending.allocatedStorage() != null
                        ? pending.allocatedStorage() : db.allocatedStorage()));
                fields.put("multiAZ", pending != null && pending.multiAZ() != null ? pending.multiAZ() : db.multiAZ());
                fields.put("readReplicas", (long) db.readReplicaDBInstanceIdentifiers().size());
                fields.put("backupRetentionPeriod", number(pending != null && pending.backupRetentionPeriod() != null
                        ? pending.backupRetentionPeriod() : db.backupRetentionPeriod()));
                fields.put("deletionProtection", db.deletionProtection());
                fields.put("storageEncrypted", db.storageEncrypted());
                live.put("RdsInstance/" + db.dbInstanceIdentifier(), fields);
            }
        }
    }

    private void elastiCache(String region, List<AwsResource> declared, Map<String, Map<String, Object>> live) {
        try (ElastiCacheClient cache = clients.elastiCache(region)) {
            Map<String, String> versions = new HashMap<>();
            if (declared.stream().anyMatch(r -> r.fields().containsKey("engineVersion"))) {
                for (CacheCluster cluster : cache.describeCacheClustersPaginator(r -> { }).cacheClusters()) {
                    if (cluster.replicationGroupId() != null) {
                        versions.putIfAbsent(cluster.replicationGroupId(), cluster.engineVersion());
                    }
                }
            }
            for (ReplicationGroup group : cache.describeReplicationGroupsPaginator(r -> { }).replicationGroups()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("nodeType", group.cacheNodeType());
                fields.put("numCacheClusters", (long) group.memberClusters().size());
                fields.put("automaticFailover", group.automaticFailover() == AutomaticFailoverStatus.ENABLED
                        || group.automaticFailover() == AutomaticFailoverStatus.ENABLING);
                fields.put("engineVersion", versions.get(group.replicationGroupId()));
                live.put("ElastiCacheReplicationGroup/" + group.replicationGroupId(), fields);
            }
        }
    }

    private void s3(String region, AwsResource bucket, Map<String, Map<String, Object>> live) {
        String name = bucket.id();
        Set<String> wanted = bucket.fields().keySet();
        try (S3Client s3 = clients.s3(region)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            // versioning is read whatever is declared: it also says whether the bucket exists
            BucketVersioningStatus versioning = s3.getBucketVersioning(r -> r.bucket(name)).status();
            fields.put("versioning", versioning == BucketVersioningStatus.ENABLED);
            if (wanted.contains("encryption")) {
                fields.put("encryption", orNull(() -> s3.getBucketEncryption(r -> r.bucket(name))
                        .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault()
                        .sseAlgorithmAsString()));
            }
            if (wanted.contains("publicAccessBlock")) {
                PublicAccessBlockConfiguration block = orNull(() -> s3.getPublicAccessBlock(r -> r.bucket(name))
                        .publicAccessBlockConfiguration());
                fields.put("publicAccessBlock", block == null ? Map.of() : Map.of(
                        "blockPublicAcls", Boolean.TRUE.equals(block.blockPublicAcls()),
                        "ignorePublicAcls", Boolean.TRUE.equals(block.ignorePublicAcls()),
                        "blockPublicPolicy", Boolean.TRUE.equals(block.blockPublicPolicy()),
                        "restrictPublicBuckets", Boolean.TRUE.equals(block.restrictPublicBuckets())));
            }
            if (wanted.contains("lifecycleRules")) {
                List<LifecycleRule> rules = orNull(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket(name)).rules());
                fields.put("lifecycleRules", rules == null ? List.of() : rules.stream().map(AwsStateReader::rule).toList());
            }
            live.put("S3Bucket/" + name, fields);
        } catch (AwsServiceException e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    private static Map<String, Object> rule(LifecycleRule rule) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", rule.id());
        String prefix = rule.filter() != null && rule.filter().prefix() != null ? rule.filter().prefix() : rule.prefix();
        fields.put("prefix", prefix == null ? "" : prefix);
        if (rule.expiration() != null && rule.expiration().days() != null) {
            fields.put("expirationDays", (long) rule.expiration().days());
        }
        if (rule.noncurrentVersionExpiration() != null && rule.noncurrentVersionExpiration().noncurrentDays() != null) {
            fields.put("noncurrentExpirationDays", (long) rule.noncurrentVersionExpiration().noncurrentDays());
        }
        fields.put("enabled", "Enabled".equals(rule.statusAsString()));
        return fields;
    }

    private void route53(String region, List<AwsResource> declared, Map<String, Map<String, Object>> live) {
        Set<String> zones = declared.stream().map(r -> r.id().substring(0, r.id().indexOf('/'))).collect(Collectors.toSet());
        try (Route53Client route53 = clients.route53(region)) {
            for (HostedZone zone : route53.listHostedZonesPaginator().hostedZones()) {
                String name = zone.name().endsWith(".") ? zone.name().substring(0, zone.name().length() - 1) : zone.name();
                if (!zones.contains(name)) {
                    continue;
                }
                for (ResourceRecordSet set : route53.listResourceRecordSetsPaginator(r -> r.hostedZoneId(zone.id()))
                        .resourceRecordSets()) {
                    if (set.typeAsString().equals("TXT") && set.name().startsWith(RecordOwnership.PREFIX)) {
                        set.resourceRecords().stream().map(v -> RecordOwnership.environmentOf(v.value()))
                                .flatMap(java.util.Optional::stream).findFirst().ifPresent(env -> live.put(
                                        RecordOwnership.liveKey(name, set.name().substring(RecordOwnership.PREFIX.length())),
                                        Map.of("environment", env)));
                        continue;
                    }
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("ttl", set.ttl());
                    fields.put("values", set.resourceRecords().stream().map(ResourceRecord::value).toList());
                    if (set.aliasTarget() != null) {
                        fields.put("alias", Map.of("dnsName", set.aliasTarget().dnsName(),
                                "hostedZoneId", set.aliasTarget().hostedZoneId(),
                                "evaluateTargetHealth", set.aliasTarget().evaluateTargetHealth()));
                    }
                    live.put("Route53RecordSet/" + name + "/" + set.name() + "/" + set.typeAsString(), fields);
                }
            }
        }
    }

    private void secrets(String region, Map<String, Map<String, Object>> live) {
        try (SecretsManagerClient secrets = clients.secretsManager(region)) {
            for (SecretListEntry secret : secrets.listSecretsPaginator(r -> { }).stream()
                    .flatMap(page -> page.secretList().stream()).toList()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("description", secret.description());
                fields.put("kmsKeyId", secret.kmsKeyId());
                fields.put("rotationDays", Boolean.TRUE.equals(secret.rotationEnabled()) && secret.rotationRules() != null
                        ? secret.rotationRules().automaticallyAfterDays() : null);
                live.put("SecretsManagerSecret/" + secret.name(), fields);
            }
        }
    }

    private void eks(String region, List<AwsResource> declared, Map<String, Map<String, Object>> live) {
        try (EksClient eks = clients.eks(region)) {
            for (AwsResource resource : declared) {
                String cluster = resource.id().substring(0, resource.id().indexOf('/'));
                try {
                    Nodegroup group = eks.describeNodegroup(r -> r.clusterName(cluster).nodegroupName(resource.name()))
                            .nodegroup();
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("minSize", number(group.scalingConfig().minSize()));
                    fields.put("maxSize", number(group.scalingConfig().maxSize()));
                    fields.put("desiredSize", number(group.scalingConfig().desiredSize()));
                    fields.put("instanceTypes", new ArrayList<>(group.instanceTypes()));
                    live.put("EksNodegroup/" + resource.id(), fields);
                } catch (ResourceNotFoundException e) {
                    // absent: reported as missing by the diff
                }
            }
        }
    }

    private static Long number(Integer value) {
        return value == null ? null : value.longValue();
    }

    /** The value, or null where AWS answers that the setting does not exist (404). */
    private static <T> T orNull(Supplier<T> read) {
        try {
            return read.get();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
