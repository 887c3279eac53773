package ai.treum.gitops.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a bearer token belongs to, and whether that caller may use a verb on an environment: the
 * cluster's own authentication and authorization, so the daemon keeps no users of its own.
 */
public interface AccessReview {

    /** The virtual resource callers are authorized on, as an RBAC rule names it. */
    String GROUP = "gitops.treum.ai";
    String RESOURCE = "environments";

    /** An authenticated caller, as the API server knows it; everything a later authorization needs. */
    record Caller(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

        public Caller {
            groups = List.copyOf(groups);
            extra = Map.copyOf(extra);
        }
    }

    /** The token's caller; empty when the API server does not accept the token. */
    Optional<Caller> authenticate(String token) throws Unavailable;

    /**
     * Whether the caller may use {@code verb} on {@code environments} of {@link #GROUP}, named
     * {@code environment} (empty: on all of them, as for a list).
     */
    boolean permits(Caller caller, String verb, String environment) throws Unavailable;

    /** The API server could not be asked: neither an answer of yes nor of no. Worth a retry. */
    final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
