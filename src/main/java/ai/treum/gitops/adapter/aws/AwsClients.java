package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.port.AwsCallListener;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds AWS service clients that share one HTTP client and one endpoint, in the daemon's region
 * or an environment's. Credentials come from the SDK's default chain, so IRSA works inside EKS
 * and environment variables work elsewhere; the daemon never reads or stores a key itself. Every
 * call is reported to the listener; throttling and transient errors are retried by the SDK's
 * standard strategy, with exponential backoff and jitter.
 */
public final class AwsClients implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 6;
    /** Throttled calls wait at least half of 200 ms, 400 ms, 800 ms ...: half jitter, so never retry at once. */
    static final Duration THROTTLING_BASE_DELAY = Duration.ofMillis(200);

    /** A call, its retries included, ends within this, so an AWS that stops answering holds up no check for longer. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Optional<String> region;
    private final Optional<URI> endpointOverride;
    private final AwsCallListener listener;
    private final Duration callTimeout;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    public AwsClients(Optional<String> region, Optional<URI> endpointOverride) {
        this(region, endpointOverride, AwsCallListener.NONE);
    }

    public AwsClients(Optional<String> region, Optional<URI> endpointOverride, AwsCallListener listener) {
        this(region, endpointOverride, listener, CALL_TIMEOUT);
    }

    public AwsClients(Optional<String> region, Optional<URI> endpointOverride, AwsCallListener listener,
            Duration callTimeout) {
        this.callTimeout = callTimeout;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.listener = listener;
    }

    public StsClient sts() {
        return sts(null);
    }

    /** @param region an environment's region, or null for the daemon's */
    public StsClient sts(String region) {
        return configure(StsClient.builder(), region).build();
    }

    public RdsClient rds() {
        return rds(null);
    }

    /** @param region an environment's region, or null for the daemon's */
    public RdsClient rds(String region) {
        return configure(RdsClient.builder(), region).build();
    }

    public ElastiCacheClient elastiCache(String region) {
        return configure(ElastiCacheClient.builder(), region).build();
    }

    public S3Client s3(String region) {
        return configure(S3Client.builder(), region).forcePathStyle(endpointOverride.isPresent()).build();
    }

    public Route53Client route53(String region) {
        return configure(Route53Client.builder(), region).build();
    }

    public SecretsManagerClient secretsManager(String region) {
        return configure(SecretsManagerClient.builder(), region).build();
    }

    public EksClient eks(String region) {
        return configure(EksClient.builder(), region).build();
    }

    public String endpoint() {
        return endpointOverride.map(URI::toString).orElse("AWS");
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
            String environmentRegion) {
        Optional.ofNullable(environmentRegion).or(() -> region).map(Region::of).ifPresent(builder::region);
        endpointOverride.ifPresent(builder::endpointOverride);
        builder.httpClient(http);
        builder.overrideConfiguration(c -> c.addExecutionInterceptor(new CallCounter(listener))
                .apiCallTimeout(callTimeout)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS)
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelayHalfJitter(THROTTLING_BASE_DELAY,
                                Duration.ofSeconds(20)))
                        .build()));
        return builder;
    }

    @Override
    public void close() {
        http.close();
    }

    /** Reports each call once it has succeeded or failed for good. */
    private record CallCounter(AwsCallListener listener) implements ExecutionInterceptor {

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            report(attributes, "success");
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            boolean throttled = context.exception() instanceof AwsServiceException e && e.isThrottlingException();
            report(attributes, throttled ? "throttled" : "error");
        }

        private void report(ExecutionAttributes attributes, String result) {
            listener.called(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), result);
        }
    }
}
