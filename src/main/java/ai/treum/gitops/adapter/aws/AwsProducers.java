package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.AwsCallListener;
import ai.treum.gitops.port.EksAccess;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the AWS clients from the daemon's configuration. */
public class AwsProducers {

    @Produces
    @Singleton
    AwsClients awsClients(GitopsConfig config, AwsCallListener calls) {
        return new AwsClients(config.aws().region(), config.aws().endpointOverride(), calls);
    }

    @Produces
    @Singleton
    EksAccess eks(AwsClients clients) {
        return new EksTokens(clients);
    }

    void close(@Disposes AwsClients clients) {
        clients.close();
    }
}
