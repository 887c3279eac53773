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
     * @param environment      whose resource it is: a DNS record is written with the mark that says so
     * @param applyImmediately RDS changes now rather than in the maintenance window
     */
    AwsChange apply(String region, String environment, AwsResource resource, List<AwsDrift> drift,
            boolean applyImmediately);
}
