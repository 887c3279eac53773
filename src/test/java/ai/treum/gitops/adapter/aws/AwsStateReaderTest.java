package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.aws.AwsDiff;
import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.MotoPeer.MotoEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading the live state of declared resources from moto_server, in batches. */
@ExtendWith(MotoPeer.class)
@Tag("peer")
class AwsStateReaderTest {

    private static final String REGION = "us-east-1";

    @Test
    void theGuidesResourcesAsDeclaredShowNoDriftAndCallsDoNotGrowWithBatchReadResources(MotoEndpoint moto) {
        List<AwsResource> declared = production();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        try (AwsClients clients = new AwsClients(Optional.of(REGION), Optional.of(moto.url()),
                (service, operation, result) -> calls.merge(service + ":" + operation + ":" + result, 1, Integer::sum))) {
            MotoResources.create(moto.url(), REGION, declared);
            calls.clear();

            Map<String, Map<String, Object>> live = new AwsStateReader(clients).read(REGION, declared);

            assertThat(AwsDiff.diff(declared, live, MotoResources.MARKED_AS)).isEmpty();
            Map<String, Integer> first = Map.copyOf(calls);
            assertThat(first).containsOnly(Map.entry("rds:DescribeDBInstances:success", 1),
                    Map.entry("elasticache:DescribeReplicationGroups:success", 1),
                    Map.entry("elasticache:DescribeCacheClusters:success", 1),
                    Map.entry("secretsmanager:ListSecrets:success", 1),
                    Map.entry("route53:ListHostedZones:success", 1),
                    Map.entry("route53:ListResourceRecordSets:success", 1),
                    // S3 settings and EKS node groups have no batch read: one call per bucket setting and node group
                    Map.entry("s3:GetBucketVersioning:success", 1), Map.entry("s3:GetBucketEncryption:success", 1),
                    Map.entry("s3:GetPublicAccessBlock:success", 1), Map.entry("s3:GetBucketLifecycleConfiguration:success", 1),
                    Map.entry("eks:DescribeNodegroup:success", 2));

            // ten times the databases, caches and secrets: not one call more
            List<AwsResource> more = new ArrayList<>(declared);
            for (AwsResource r : declared) {
                if (List.of("RdsInstance", "ElastiCacheReplicationGroup", "SecretsManagerSecret").contains(r.kind())) {
                    for (int i = 1; i < 10; i++) {
                        more.add(new AwsResource(r.kind(), r.name() + "-" + i, r.id() + "-" + i, r.fields(), r.source()));
                    }
                }
            }
            MotoResources.create(moto.url(), REGION, more.subList(declared.size(), more.size()));
            calls.clear();
            assertThat(AwsDiff.diff(more, new AwsStateReader(clients).read(REGION, more), MotoResources.MARKED_AS)).isEmpty();
            assertThat(calls).isEqualTo(first);
        }
    }

    static List<AwsResource> production() {
        EnvironmentRevision revision = BundledPolicies.environment("production");
        assertThat(revision.errors()).isEmpty();
        assertThat(revision.aws()).extracting(AwsResource::kind).contains("RdsInstance", "ElastiCacheReplicationGroup",
                "S3Bucket", "Route53RecordSet", "SecretsManagerSecret", "EksNodegroup");
        return revision.aws();
    }
}
