package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Reachability of AWS: which account the default credential chain signs in to. */
@ApplicationScoped
public class AwsConnection implements ConnectionCheck {

    private final AwsClients clients;

    AwsConnection(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public String peer() {
        return "aws";
    }

    @Override
    public ConnectionStatus check() {
        try (StsClient sts = clients.sts()) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            return ConnectionStatus.up("account " + identity.account() + " in " + sts.serviceClientConfiguration().region().id()
                    + " via " + clients.endpoint());
        } catch (SdkException e) {
            return ConnectionStatus.down(clients.endpoint() + ": " + e.getMessage());
        }
    }
}
