package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.port.EksAccess;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * EKS access as {@code aws eks get-token} gives it: a GetCallerIdentity request to the regional STS
 * endpoint, presigned with SigV4 in its query string and carrying the cluster's name in the signed
 * header {@code x-k8s-aws-id}, base64url-encoded behind {@code k8s-aws-v1.}. The API server's
 * authenticator sends that request to STS to learn who is calling. A token is accepted for 15
 * minutes after it is signed; a new one is signed after {@link #REFRESH}, so none in use expires.
 */
public final class EksTokens implements EksAccess {

    static final String PREFIX = "k8s-aws-v1.";
    static final Duration REFRESH = Duration.ofMinutes(10);
    /** What {@code aws eks get-token} signs with: the presigned URL itself is only good for a minute. */
    static final Duration URL_EXPIRY = Duration.ofSeconds(60);

    private final AwsClients clients;
    private final Clock clock;

    public EksTokens(AwsClients clients) {
        this(clients, Clock.systemUTC());
    }

    EksTokens(AwsClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public Endpoint describe(ClusterTarget.Eks cluster) {
        try (EksClient eks = clients.eks(cluster.region())) {
            Cluster described = eks.describeCluster(r -> r.name(cluster.name())).cluster();
            if (described.endpoint() == null || described.certificateAuthority() == null) {
                throw new IllegalStateException("EKS cluster " + cluster.name() + " in " + cluster.region()
                        + " has no endpoint or certificate authority yet (status " + described.statusAsString() + ")");
            }
            return new Endpoint(described.endpoint(), described.certificateAuthority().data());
        }
    }

    @Override
    public Supplier<String> tokens(ClusterTarget.Eks cluster) {
        AwsCredentialsProvider credentials = credentials(cluster);
        return new Supplier<>() {
            private String token;
            private Instant signedAt = Instant.MIN;

            @Override
            public synchronized String get() {
                Instant now = clock.instant();
                if (token == null || !now.isBefore(signedAt.plus(REFRESH))) {
                    token = token(cluster, credentials, now);
                    signedAt = now;
                }
                return token;
            }
        };
    }

    /** One token, signed at {@code at}. */
    String token(ClusterTarget.Eks cluster, AwsCredentialsProvider credentials, Instant at) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("https")
                .host("sts." + cluster.region() + ".amazonaws.com").encodedPath("/")
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", cluster.name())
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(request)
                .identity(credentials.resolveCredentials())
                .putProperty(AwsV4HttpSigner.REGION_NAME, cluster.region())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, URL_EXPIRY)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signed.getUri().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The daemon's own identity (IRSA in EKS), or the role the environment names, assumed through STS and kept fresh. */
    private AwsCredentialsProvider credentials(ClusterTarget.Eks cluster) {
        if (cluster.roleArn() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        StsClient sts = clients.sts(cluster.region());
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(cluster.roleArn()).roleSessionName("treum-gitops"))
                .build();
    }
}
