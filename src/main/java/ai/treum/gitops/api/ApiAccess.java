package ai.treum.gitops.api;

import java.util.List;

/**
 * What a request to the daemon needs before it is served. Pure: method and path in, rule out.
 * Webhooks carry their own signatures; everything else is authorized as a verb on an environment
 * (or on all of them), and a write must also be a JSON request, which a cross-site form or
 * text/plain POST can never be without a CORS preflight the daemon does not answer.
 */
public sealed interface ApiAccess {

    /** The path prefix of the webhook receivers, which an Ingress can expose without the API. */
    String WEBHOOKS = "webhooks/";

    /** Served to anybody: the request proves itself (a signed webhook). */
    record Open() implements ApiAccess {
    }

    /** A read; {@code environment} is empty for a list. */
    record Read(String verb, String environment) implements ApiAccess {
    }

    /** A change: a bearer token with the verb on the environment, and a JSON body. */
    record Write(String verb, String environment) implements ApiAccess {
    }

    static ApiAccess of(String method, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.startsWith(WEBHOOKS)) {
            return new Open();
        }
        List<String> segments = List.of(relative.split("/"));
        int at = segments.indexOf("environments");
        String environment = at >= 0 && segments.size() > at + 1 ? segments.get(at + 1) : "";
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (!read) {
            String verb = at >= 0 && segments.size() > at + 2 ? segments.get(at + 2) : method.toLowerCase();
            return new Write(verb, environment);
        }
        return new Read(environment.isEmpty() ? "list" : "get", environment);
    }
}
