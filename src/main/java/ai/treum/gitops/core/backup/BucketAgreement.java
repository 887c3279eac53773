package ai.treum.gitops.core.backup;

import ai.treum.gitops.core.aws.AwsKind;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a BackupPolicy and the S3Bucket of the same revision that holds its dumps agree: no
 * lifecycle rule expires dumps before the policy's retention would, and in a versioned bucket a
 * rule expires the noncurrent versions retention leaves behind (a deleted dump stays as one, paid
 * for, for ever otherwise). A bucket the revision does not declare is not checked. Pure.
 */
public final class BucketAgreement {

    private static final String RULE = "backup-bucket";

    private BucketAgreement() {
    }

    /** @param policy the policy as parsed; {@code resource} is where it was declared */
    public static List<LoadError> check(BackupPolicy policy, DesiredResource resource, List<DesiredResource> declared) {
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource bucket : declared) {
            if (!bucket.key().kind().equals(AwsKind.S3_BUCKET.kind()) || !bucket.key().name().equals(policy.bucket())) {
                continue;
            }
            JsonNode spec = bucket.body().path("spec");
            boolean noncurrentExpires = false;
            for (JsonNode rule : spec.path("lifecycleRules")) {
                String prefix = rule.path("prefix").asText("");
                if (!policy.prefix().startsWith(prefix) && !prefix.startsWith(policy.prefix())) {
                    continue;
                }
                if (rule.has("expirationDays")
                        && Duration.ofDays(rule.path("expirationDays").asLong()).compareTo(policy.retention()) < 0) {
                    errors.add(new LoadError(bucket.source(), RULE, bucket.key() + ": lifecycle rule "
                            + rule.path("id").asText(prefix) + " expires objects under " + prefix + " after "
                            + rule.path("expirationDays").asLong() + " days, before the retention of "
                            + resource.key() + " (" + policy.retention().toDays() + " days) would: S3 would delete "
                            + "dumps the policy keeps"));
                }
                noncurrentExpires |= rule.has("noncurrentExpirationDays") && policy.prefix().startsWith(prefix);
            }
            if (spec.path("versioning").asBoolean(false) && !noncurrentExpires) {
                errors.add(new LoadError(bucket.source(), RULE, bucket.key() + ": versioned, and no lifecycle rule for "
                        + policy.prefix() + " sets noncurrentExpirationDays: every dump the retention of "
                        + resource.key() + " deletes would stay as a noncurrent version for ever"));
            }
        }
        return errors;
    }
}
