package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.core.aws.AwsChange;
import ai.treum.gitops.core.aws.AwsDrift;
import ai.treum.gitops.core.aws.AwsKind;
import ai.treum.gitops.core.aws.RecordOwnership;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.port.AwsApplier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The modify calls of enforce mode, one per resource: RDS ModifyDBInstance (and
 * CreateDBInstanceReadReplica for more replicas), ElastiCache ModifyReplicationGroup and
 * IncreaseReplicaCount, S3 PutBucketVersioning, PutPublicAccessBlock and
 * PutBucketLifecycleConfiguration, Route 53 UPSERT, EKS UpdateNodegroupConfig. Nothing is ever
 * deleted; the only things created are read replicas and the UPSERT of a declared record.
 */
@ApplicationScoped
public class AwsChanges implements AwsApplier {

    private final AwsClients clients;

    AwsChanges(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public AwsChange apply(String region, String environment, AwsResource resource, List<AwsDrift> drift,
            boolean applyImmediately) {
        Set<String> fields = drift.stream().filter(d -> !d.missing()).map(AwsDrift::field)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Object> f = resource.fields();
        try {
            String detail = switch (AwsKind.of(resource.kind()).orElseThrow(() -> new IllegalArgumentException(
                    "no AWS kind " + resource.kind()))) {
                case RDS_INSTANCE -> rds(region, resource, fields, drift, applyImmediately);
                case ELASTICACHE_REPLICATION_GROUP -> elastiCache(region, resource, fields, applyImmediately);
                case S3_BUCKET -> s3(region, resource, fields);
                case ROUTE53_RECORD_SET -> route53(region, environment, resource);
                case EKS_NODEGROUP -> eks(region, resource, f);
                case SECRETS_MANAGER_SECRET -> throw new IllegalArgumentException("nothing of " + resource.kind()
                        + " may be changed");
            };
            return new AwsChange(resource, List.copyOf(fields), true, detail);
        } catch (SdkException | IllegalArgumentException e) {
            return new AwsChange(resource, List.copyOf(fields), false, e.getMessage());
        }
    }

    private String rds(String region, AwsResource r, Set<String> fields, List<AwsDrift> drift, boolean now) {
        Map<String, Object> f = r.fields();
        StringBuilder detail = new StringBuilder();
        try (RdsClient rds = clients.rds(region)) {
            if (fields.contains("readReplicas")) {
                long live = drift.stream().filter(d -> "readReplicas".equals(d.field())).map(d -> (Long) d.live())
                        .findFirst().orElse(0L);
                for (long n = live + 1; n <= (Long) f.get("readReplicas"); n++) {
                    String replica = r.id() + "-replica-" + n;
                    rds.createDBInstanceReadReplica(c -> c.dbInstanceIdentifier(replica).sourceDBInstanceIdentifier(r.id()));
                    detail.append("CreateDBInstanceReadReplica ").append(replica).append("; ");
                }
            }
            Set<String> modified = new TreeSet<>(fields);
            modified.remove("readReplicas");
            if (modified.isEmpty()) {
                return detail.substring(0, detail.length() - 2);
            }
            rds.modifyDBInstance(m -> {
                m.dbInstanceIdentifier(r.id()).applyImmediately(now);
                if (fields.contains("instanceClass")) {
                    m.dbInstanceClass((String) f.get("instanceClass"));
                }
                if (fields.contains("allocatedStorage")) {
                    m.allocatedStorage(integer(f.get("allocatedStorage")));
                }
                if (fields.contains("multiAZ")) {
                    m.multiAZ((Boolean) f.get("multiAZ"));
                }
                if (fields.contains("backupRetentionPeriod")) {
                    m.backupRetentionPeriod(integer(f.get("backupRetentionPeriod")));
                }
            });
        }
        return detail + "ModifyDBInstance " + fields.stream().filter(x -> !x.equals("readReplicas")).toList()
                + (now ? ", applied immediately" : ", in the next maintenance window");
    }

    private String elastiCache(String region, AwsResource r, Set<String> fields, boolean now) {
        Map<String, Object> f = r.fields();
        StringBuilder detail = new StringBuilder();
        try (ElastiCacheClient cache = clients.elastiCache(region)) {
            if (fields.contains("nodeType")) {
                cache.modifyReplicationGroup(m -> m.replicationGroupId(r.id()).cacheNodeType((String) f.get("nodeType"))
                        .applyImmediately(now));
                detail.append("ModifyReplicationGroup nodeType");
            }
            if (fields.contains("numCacheClusters")) {
                // replicas are the clusters besides the primary; AWS adds them at once
                int replicas = integer(f.get("numCacheClusters")) - 1;
                cache.increaseReplicaCount(m -> m.replicationGroupId(r.id()).newReplicaCount(replicas).applyImmediately(true));
                detail.append(detail.isEmpty() ? "" : "; ").append("IncreaseReplicaCount to ").append(replicas);
            }
        }
        return detail.toString();
    }

    private String s3(String region, AwsResource r, Set<String> fields) {
        Map<String, Object> f = r.fields();
        String bucket = r.id();
        try (S3Client s3 = clients.s3(region)) {
            if (fields.contains("versioning")) {
                s3.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status(
                        Boolean.TRUE.equals(f.get("versioning")) ? BucketVersioningStatus.ENABLED
                                : BucketVersioningStatus.SUSPENDED)));
            }
            if (fields.contains("publicAccessBlock")) {
                Map<?, ?> block = (Map<?, ?>) f.get("publicAccessBlock");
                s3.putPublicAccessBlock(p -> p.bucket(bucket).publicAccessBlockConfiguration(b -> b
                        .blockPublicAcls(flag(block, "blockPublicAcls")).ignorePublicAcls(flag(block, "ignorePublicAcls"))
                        .blockPublicPolicy(flag(block, "blockPublicPolicy"))
                        .restrictPublicBuckets(flag(block, "restrictPublicBuckets"))));
            }
            if (fields.contains("lifecycleRules")) {
                List<LifecycleRule> rules = ((List<?>) f.get("lifecycleRules")).stream().map(o -> rule((Map<?, ?>) o)).toList();
                s3.putBucketLifecycleConfiguration(p -> p.bucket(bucket).lifecycleConfiguration(l -> l.rules(rules)));
            }
        }
        return "S3 " + fields;
    }

    private static LifecycleRule rule(Map<?, ?> declared) {
        LifecycleRule.Builder rule = LifecycleRule.builder().id((String) declared.get("id"))
                .filter(p -> p.prefix(declared.get("prefix") == null ? "" : (String) declared.get("prefix")))
                .status(Boolean.FALSE.equals(declared.get("enabled")) ? ExpirationStatus.DISABLED : ExpirationStatus.ENABLED);
        if (declared.get("expirationDays") != null) {
            rule.expiration(e -> e.days(integer(declared.get("expirationDays"))));
        }
        if (declared.get("noncurrentExpirationDays") != null) {
            rule.noncurrentVersionExpiration(e -> e.noncurrentDays(integer(declared.get("noncurrentExpirationDays"))));
        }
        return rule.build();
    }

    /** The record and, in the same change, the TXT record that marks it as the environment's. */
    private String route53(String region, String environment, AwsResource r) {
        String[] id = r.id().split("/");
        Map<String, Object> f = r.fields();
        try (Route53Client route53 = clients.route53(region)) {
            HostedZone zone = route53.listHostedZonesPaginator().hostedZones().stream()
                    .filter(z -> z.name().equals(id[0] + ".")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("hosted zone " + id[0] + " does not exist"));
            route53.changeResourceRecordSets(c -> c.hostedZoneId(zone.id()).changeBatch(b -> b.comment("treum-gitops")
                    .changes(change -> change.action(ChangeAction.UPSERT).resourceRecordSet(s -> {
                        s.name(id[1]).type(RRType.fromValue(id[2]));
                        if (f.get("alias") instanceof Map<?, ?> alias) {
                            s.aliasTarget(a -> a.dnsName((String) alias.get("dnsName"))
                                    .hostedZoneId((String) alias.get("hostedZoneId"))
                                    .evaluateTargetHealth(Boolean.TRUE.equals(alias.get("evaluateTargetHealth"))));
                        } else {
                            s.ttl((Long) f.get("ttl")).resourceRecords(((List<?>) f.get("values")).stream()
                                    .map(v -> ResourceRecord.builder().value((String) v).build()).toList());
                        }
                    }), mark -> mark.action(ChangeAction.UPSERT).resourceRecordSet(s -> s
                            .name(RecordOwnership.markName(id[1])).type(RRType.TXT).ttl(300L)
                            .resourceRecords(ResourceRecord.builder().value(RecordOwnership.markValue(environment)).build())))));
        }
        return "UPSERT " + id[1] + " " + id[2] + " (marked " + RecordOwnership.markName(id[1]) + ")";
    }

    private String eks(String region, AwsResource r, Map<String, Object> f) {
        String cluster = r.id().substring(0, r.id().indexOf('/'));
        try (EksClient eks = clients.eks(region)) {
            var live = eks.describeNodegroup(d -> d.clusterName(cluster).nodegroupName(r.name())).nodegroup().scalingConfig();
            int min = f.containsKey("minSize") ? integer(f.get("minSize")) : live.minSize();
            int max = f.containsKey("maxSize") ? integer(f.get("maxSize")) : live.maxSize();
            int desired = f.containsKey("desiredSize") ? integer(f.get("desiredSize")) : live.desiredSize();
            eks.updateNodegroupConfig(u -> u.clusterName(cluster).nodegroupName(r.name())
                    .scalingConfig(s -> s.minSize(min).maxSize(max).desiredSize(desired)));
            return "UpdateNodegroupConfig min " + min + ", max " + max + ", desired " + desired;
        }
    }

    private static boolean flag(Map<?, ?> map, String key) {
        return Boolean.TRUE.equals(map.get(key));
    }

    private static int integer(Object value) {
        return ((Number) value).intValue();
    }
}
