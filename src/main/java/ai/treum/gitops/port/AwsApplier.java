package ai.treum.gitops.port;

import ai.treum.gitops.core.aws.AwsChange;
import ai.treum.gitops.core.aws.AwsDrift;
import ai.treum.gitops.model.AwsResource;
import java.util.List;

/** Puts drifted AWS fields back, only those the allow-list permits; never deletes or replaces. */
public interface AwsApplier {

    /**
     * One modify call for one resource's enforceable drift. Failures are results, not exceptions.
     *
     * @param applyImmediately RDS changes now rather than in the maintenance window
     */
    AwsChange apply(String region, AwsResource resource, List<AwsDrift> drift, boolean applyImmediately);
}
