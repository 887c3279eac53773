package ai.treum.gitops.model;

import java.util.Map;

/**
 * One AWS resource as an environment declares it in aws/.
 *
 * @param kind   RdsInstance, S3Bucket, ...
 * @param name   the object's metadata.name
 * @param id     its identity in AWS: the DB instance or replication group id, the bucket, the
 *               secret's name, {@code zone/name/type} of a record, {@code cluster/nodegroup}
 * @param fields the declared fields, identity excluded, as plain values (Long, Boolean, String, List, Map)
 */
public record AwsResource(String kind, String name, String id, Map<String, Object> fields, SourceLocation source) {

    @Override
    public String toString() {
        return kind + "/" + id;
    }
}
