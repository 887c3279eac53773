package ai.treum.gitops.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery ids seen lately, so a replayed webhook (same id, same valid signature) is refused.
 * Ids are kept as SHA-256 digests, 32 bytes each whatever the sender made them, and at most
 * {@code capacity} of them.
 */
final class Deliveries {

    /** GitHub's and GitLab's ids are 36-character UUIDs; anything far longer is not an id. */
    static final int MAX_ID_LENGTH = 128;

    private final Map<String, Boolean> seen;

    Deliveries(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is offered. */
    synchronized boolean firstTime(String id) {
        return seen.putIfAbsent(digest(id), Boolean.TRUE) == null;
    }

    private static String digest(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
