package ai.treum.gitops.api.health;

import ai.treum.gitops.adapter.aws.AwsConnection;
import ai.treum.gitops.adapter.kubernetes.ClusterTargets;
import ai.treum.gitops.adapter.kubernetes.KubernetesConnection;
import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Health checks over the peers. Without a fetched revision of its desired state or without its
 * own cluster the daemon cannot do its job, so those two gate readiness. AWS does not: an AWS
 * outage must not take the status API and webhooks out of service; nor does a cluster an
 * environment names, which fails only that environment. All are listed under
 * {@code /q/health/group/peers}.
 */
@ApplicationScoped
public class PeerHealthChecks {

    static final String GROUP = "peers";

    @Produces
    @Readiness
    @HealthGroup(GROUP)
    HealthCheck git(DesiredStateWatcher git) {
        return () -> response(git);
    }

    @Produces
    @Readiness
    @HealthGroup(GROUP)
    HealthCheck kubernetes(KubernetesConnection kubernetes) {
        return () -> response(kubernetes);
    }

    /** The clusters environments name besides the daemon's own: one that is down fails only its environments. */
    @Produces
    @HealthGroup(GROUP)
    HealthCheck clusters(ClusterTargets clusters) {
        return () -> response(clusters);
    }

    @Produces
    @HealthGroup(GROUP)
    HealthCheck aws(AwsConnection aws) {
        return () -> response(aws);
    }

    private static HealthCheckResponse response(ConnectionCheck check) {
        ConnectionStatus status = check.check();
        return HealthCheckResponse.named(check.peer())
                .status(status.up())
                .withData("detail", status.detail())
                .build();
    }
}
