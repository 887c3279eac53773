package ai.treum.gitops.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook authentication, every comparison in constant time. Pure. */
public final class Signatures {

    private static final String PREFIX = "sha256=";

    private Signatures() {
    }

    /** Whether {@code header} is {@code sha256=<hex>} of the HMAC-SHA256 of the raw body under the secret. */
    public static boolean validHmac(String header, byte[] body, String secret) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body, secret), claimed);
    }

    /** Whether a token sent as is (GitLab's X-Gitlab-Token) equals the secret. */
    public static boolean validToken(String header, String secret) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256=<hex>} for a body, as a sender computes it. */
    public static String sign(byte[] body, String secret) {
        return PREFIX + HexFormat.of().formatHex(hmac(body, secret));
    }

    private static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
