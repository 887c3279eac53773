package ai.treum.gitops.core.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS kinds an environment may declare, each with its service, the fields that identify it,
 * and every field it may declare with its type and what enforce mode may do when it drifts.
 */
public enum AwsKind {

    RDS_INSTANCE("RdsInstance", "rds", List.of(),
            field("engine", Type.STRING, Change.MANUAL), field("engineVersion", Type.STRING, Change.MANUAL),
            field("instanceClass", Type.STRING, Change.ENFORCE), field("allocatedStorage", Type.INT, Change.GROW),
            field("multiAZ", Type.BOOL, Change.ENFORCE), field("readReplicas", Type.INT, Change.GROW),
            field("backupRetentionPeriod", Type.INT, Change.GROW),
            field("deletionProtection", Type.BOOL, Change.MANUAL), field("storageEncrypted", Type.BOOL, Change.MANUAL)),
    ELASTICACHE_REPLICATION_GROUP("ElastiCacheReplicationGroup", "elasticache", List.of(),
            field("nodeType", Type.STRING, Change.ENFORCE), field("numCacheClusters", Type.INT, Change.GROW),
            field("automaticFailover", Type.BOOL, Change.MANUAL), field("engineVersion", Type.STRING, Change.MANUAL)),
    S3_BUCKET("S3Bucket", "s3", List.of(),
            field("versioning", Type.BOOL, Change.TIGHTEN), field("encryption", Type.STRING, Change.MANUAL),
            field("lifecycleRules", Type.LIST, Change.MANUAL), field("publicAccessBlock", Type.MAP, Change.TIGHTEN)),
    ROUTE53_RECORD_SET("Route53RecordSet", "route53", List.of("zone", "name", "type"),
            field("ttl", Type.INT, Change.ENFORCE), field("values", Type.LIST, Change.ENFORCE),
            field("alias", Type.MAP, Change.ENFORCE)),
    SECRETS_MANAGER_SECRET("SecretsManagerSecret", "secretsmanager", List.of("secretName"),
            field("description", Type.STRING, Change.MANUAL), field("kmsKeyId", Type.STRING, Change.MANUAL),
            field("rotationDays", Type.INT, Change.MANUAL)),
    EKS_NODEGROUP("EksNodegroup", "eks", List.of("cluster"),
            field("minSize", Type.INT, Change.GROW), field("maxSize", Type.INT, Change.GROW),
            field("desiredSize", Type.INT, Change.GROW), field("instanceTypes", Type.LIST, Change.MANUAL));

    /** A declared field's value type. */
    public enum Type { STRING, INT, BOOL, LIST, MAP }

    /**
     * What enforce mode may do about a drifted field: change it back; only grow it (storage, node
     * counts, backup retention: shrinking deletes data, capacity or backups); only tighten it (a
     * bucket's versioning and public-access block: turned on, never off); or nothing, reporting
     * "manual action needed". Whatever Git says, enforce never shrinks or loosens.
     */
    public enum Change { ENFORCE, GROW, TIGHTEN, MANUAL }

    public record Field(String name, Type type, Change change) {
    }

    private final String kind;
    private final String service;
    private final List<String> identity;
    private final Map<String, Field> fields = new LinkedHashMap<>();

    AwsKind(String kind, String service, List<String> identity, Field... fields) {
        this.kind = kind;
        this.service = service;
        this.identity = identity;
        for (Field f : fields) {
            this.fields.put(f.name(), f);
        }
    }

    public String kind() {
        return kind;
    }

    /** The AWS service that holds it, as the SDK and {@code aws_api_calls_total} name it. */
    public String service() {
        return service;
    }

    /** spec fields that say which resource it is (besides metadata.name); never compared. */
    public List<String> identity() {
        return identity;
    }

    public Map<String, Field> fields() {
        return fields;
    }

    public static Optional<AwsKind> of(String kind) {
        for (AwsKind k : values()) {
            if (k.kind.equals(kind)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static Field field(String name, Type type, Change change) {
        return new Field(name, type, change);
    }
}
