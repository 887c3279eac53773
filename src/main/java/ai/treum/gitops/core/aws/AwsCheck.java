package ai.treum.gitops.core.aws;

import java.time.Instant;
import java.util.List;

/**
 * One reading of an environment's declared AWS resources against AWS.
 *
 * @param enforced whether allow-listed drift was put back (enforce mode, and the revision passed its policies)
 * @param drift    what differed when AWS was read
 * @param changes  the modify calls made about it
 * @param error    why AWS could not be read, or null
 */
public record AwsCheck(String revision, boolean enforced, Instant checkedAt, List<AwsDrift> drift,
        List<AwsChange> changes, String error) {

    /** Drift still there after this check: all of it, less what a successful change put back. */
    public List<AwsDrift> remaining() {
        return drift.stream().filter(d -> changes.stream().noneMatch(c -> c.applied() && c.resource().equals(d.resource())
                && (d.missing() || c.fields().contains(d.field())))).toList();
    }
}
