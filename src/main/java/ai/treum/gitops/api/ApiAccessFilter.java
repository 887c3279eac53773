package ai.treum.gitops.api;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.port.AccessReview;
import ai.treum.gitops.port.AccessReview.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates and authorizes every API and page request by the rule {@link ApiAccess} gives
 * it, before the resource sees it. Only the bearer header counts: the daemon sets no cookie and
 * reads none, so a browser cannot be made to send a credential on somebody's behalf.
 */
@ApplicationScoped
public class ApiAccessFilter {

    private static final Logger LOG = Logger.getLogger(ApiAccessFilter.class);
    private static final String BEARER = "Bearer ";

    private final AccessReview review;
    private final boolean authenticateReads;

    ApiAccessFilter(AccessReview review, GitopsConfig config) {
        this.review = review;
        this.authenticateReads = config.api().authenticateReads();
    }

    /** Null to serve the request; otherwise the problem that refuses it. */
    @ServerRequestFilter
    public Response filter(ContainerRequestContext request) {
        String instance = "/" + stripSlash(request.getUriInfo().getPath());
        ApiAccess access = ApiAccess.of(request.getMethod(), request.getUriInfo().getPath());
        String verb;
        String environment;
        if (access instanceof ApiAccess.Write write) {
            if (!MediaType.APPLICATION_JSON_TYPE.isCompatible(request.getMediaType())
                    || request.getMediaType().isWildcardType() || request.getMediaType().isWildcardSubtype()) {
                return new Problem("https://treum.ai/problems/json-only", "Unsupported Media Type", 415,
                        "a change to the daemon is a request with Content-Type: application/json", instance).toResponse();
            }
            verb = write.verb();
            environment = write.environment();
        } else if (access instanceof ApiAccess.Read read && authenticateReads) {
            verb = read.verb();
            environment = read.environment();
        } else {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return unauthorized("no bearer token: send Authorization: Bearer <token>", instance);
        }
        try {
            Optional<Caller> caller = review.authenticate(header.substring(BEARER.length()).trim());
            if (caller.isEmpty()) {
                return unauthorized("the API server does not accept this token", instance);
            }
            if (!review.permits(caller.get(), verb, environment)) {
                String target = AccessReview.RESOURCE + (environment.isEmpty() ? "" : "/" + environment);
                LOG.infof("refused: %s may not %s %s", caller.get().name(), verb, target);
                return new Problem("https://treum.ai/problems/forbidden", "Forbidden", 403,
                        "user " + caller.get().name() + " may not " + verb + " " + target + " (group "
                                + AccessReview.GROUP + ")", instance).toResponse();
            }
            request.setSecurityContext(new Authenticated(caller.get().name(), request.getSecurityContext()));
            return null;
        } catch (AccessReview.Unavailable e) {
            LOG.warnf("cannot authorize a request to %s: %s", instance, e.getMessage());
            return new Problem("https://treum.ai/problems/authorization-unavailable", "Service Unavailable",
                    503, "the API server could not be asked who sent this request; try again", instance).toResponse();
        }
    }

    private static Response unauthorized(String detail, String instance) {
        Response problem = new Problem("https://treum.ai/problems/unauthenticated", "Unauthorized", 401, detail, instance)
                .toResponse();
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The caller as JAX-RS resources see it: {@code SecurityContext.getUserPrincipal().getName()}. */
    private record Authenticated(String name, SecurityContext original) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return () -> name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return original != null && original.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
