package ai.treum.gitops.adapter.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds AWS service clients that share one HTTP client, one region and one endpoint. Credentials
 * come from the SDK's default chain, so IRSA works inside EKS and environment variables work
 * elsewhere; the daemon never reads or stores a key itself.
 */
public final class AwsClients implements AutoCloseable {

    private final Optional<String> region;
    private final Optional<URI> endpointOverride;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    public AwsClients(Optional<String> region, Optional<URI> endpointOverride) {
        this.region = region;
        this.endpointOverride = endpointOverride;
    }

    public StsClient sts() {
        return configure(StsClient.builder()).httpClient(http).build();
    }

    public RdsClient rds() {
        return configure(RdsClient.builder()).httpClient(http).build();
    }

    public String endpoint() {
        return endpointOverride.map(URI::toString).orElse("AWS");
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        region.map(Region::of).ifPresent(builder::region);
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder;
    }

    @Override
    public void close() {
        http.close();
    }
}
