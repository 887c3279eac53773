package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.MotoPeer.MotoEndpoint;
import ai.treum.gitops.port.EksAccess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * EKS access against moto's EKS and STS. moto cannot run an API server that asks STS who a token
 * is, so the token is checked as that authenticator would read it: its structure, and its SigV4
 * signature recomputed here from the canonical request.
 */
@ExtendWith(MotoPeer.class)
@Tag("peer")
class EksTokensTest {

    private static final String REGION = "ap-south-1";
    private static final Instant SIGNED_AT = Instant.parse("2026-12-07T10:15:30Z");
    private static final ClusterTarget.Eks PRODUCTION = new ClusterTarget.Eks("treum-production", REGION, null);

    @Test
    void endpointAndCertificateAuthorityComeFromDescribeCluster(MotoEndpoint moto) {
        try (AwsClients clients = new AwsClients(Optional.of(REGION), Optional.of(moto.url()));
                EksClient eks = clients.eks(REGION)) {
            eks.createCluster(c -> c.name("treum-production").roleArn("arn:aws:iam::123456789012:role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")));

            EksAccess.Endpoint endpoint = new EksTokens(clients).describe(PRODUCTION);

            assertThat(endpoint.endpoint()).startsWith("https://");
            assertThat(endpoint.certificateAuthority()).isNotBlank();
        }
    }

    @Test
    void aTokenIsAPresignedGetCallerIdentityForTheClusterSignedWithSigV4(MotoEndpoint moto) throws Exception {
        try (AwsClients clients = new AwsClients(Optional.of(REGION), Optional.of(moto.url()))) {
            String token = new EksTokens(clients).token(PRODUCTION,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-for-test")),
                    SIGNED_AT);

            assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=");
            URI url = URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                    StandardCharsets.US_ASCII));
            Map<String, String> query = query(url);
            assertThat(url.getScheme()).isEqualTo("https");
            assertThat(url.getHost()).isEqualTo("sts.ap-south-1.amazonaws.com");
            assertThat(url.getPath()).isEqualTo("/");
            assertThat(query).containsEntry("Action", "GetCallerIdentity").containsEntry("Version", "2011-06-15")
                    .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                    .containsEntry("X-Amz-Credential", "AKIDEXAMPLE%2F20261207%2Fap-south-1%2Fsts%2Faws4_request")
                    .containsEntry("X-Amz-Date", "20261207T101530Z")
                    .containsEntry("X-Amz-Expires", "60")
                    .containsEntry("X-Amz-SignedHeaders", "host%3Bx-k8s-aws-id");
            assertThat(query.get("X-Amz-Signature")).isEqualTo(signature(url, query, "secret-for-test"));
        }
    }

    @Test
    void aTokenIsSignedAgainBeforeTheApiServerWouldRefuseIt(MotoEndpoint moto) {
        MovableClock clock = new MovableClock(SIGNED_AT);
        try (AwsClients clients = new AwsClients(Optional.of(REGION), Optional.of(moto.url()))) {
            Supplier<String> tokens = new EksTokens(clients, clock).tokens(
                    new ClusterTarget.Eks("treum-production", REGION, "arn:aws:iam::123456789012:role/treum-deployer"));

            String first = tokens.get();
            clock.now = SIGNED_AT.plusSeconds(9 * 60);
            assertThat(tokens.get()).as("9 minutes later").isEqualTo(first);
            clock.now = SIGNED_AT.plusSeconds(10 * 60);
            String second = tokens.get();

            assertThat(second).as("10 minutes later; the API server takes one for 15").isNotEqualTo(first);
            Map<String, String> query = query(URI.create(new String(Base64.getUrlDecoder().decode(second.substring(11)),
                    StandardCharsets.US_ASCII)));
            assertThat(query).as("signed with the assumed role's session credentials").containsKey("X-Amz-Security-Token");
            assertThat(query.get("X-Amz-Date")).isEqualTo("20261207T102530Z");
        }
    }

    /** The signature recomputed from the URL as STS would: canonical request, string to sign, derived key. */
    private static String signature(URI url, Map<String, String> query, String secret) throws Exception {
        String canonicalQuery = query.entrySet().stream().filter(e -> !e.getKey().equals("X-Amz-Signature"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        String canonical = String.join("\n", "GET", "/", canonicalQuery,
                "host:" + url.getHost(), "x-k8s-aws-id:treum-production", "", "host;x-k8s-aws-id", hex(sha256("")));
        String scope = "20261207/ap-south-1/sts/aws4_request";
        String toSign = String.join("\n", "AWS4-HMAC-SHA256", "20261207T101530Z", scope, hex(sha256(canonical)));
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : scope.split("/")) {
            key = hmac(key, part);
        }
        return hex(hmac(key, toSign));
    }

    private static Map<String, String> query(URI url) {
        return Arrays.stream(url.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1], (x, y) -> x, TreeMap::new));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
