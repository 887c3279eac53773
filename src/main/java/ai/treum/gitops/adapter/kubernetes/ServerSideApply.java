package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Server-side apply of the JSON the sync built, and deletes with a uid precondition (which
 * fabric8's DSL cannot send), through fabric8's authenticated HTTP client. The
 * typed DSL would convert every object into fabric8's model and back to JSON, then parse the whole
 * object the API server returns: about a third of the daemon's CPU in a large first sync, where a
 * real apply needs only the verdict.
 */
final class ServerSideApply {

    /**
     * The API server's answer: the status code, and the body (the object, or a Status on failure),
     * kept as bytes: a successful apply never reads it. Code 0 when no answer came.
     */
    record Answer(int code, byte[] body, long retryAfterMillis, boolean connectionLost) {

        Answer(int code, String message) {
            this(code, message.getBytes(StandardCharsets.UTF_8), 0, false);
        }

        boolean ok() {
            return HttpResponse.isSuccessful(code);
        }

        /**
         * The API server refused the object against its schema (a field it does not declare, a
         * value of the wrong type, Secret data that is not base64). It says so with a 500, which no
         * retry mends.
         */
        boolean schemaRejected() {
            return code == 500 && SCHEMA_REJECTIONS.stream().anyMatch(text()::contains);
        }

        /** Throttled, a server error that may pass, or a lost connection. */
        boolean transientFailure() {
            return connectionLost || code == 429 || code >= 500 && !schemaRejected();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MESSAGE_LIMIT = 300;
    private static final List<String> SCHEMA_REJECTIONS = List.of("failed to create typed patch object",
            "unable to convert unstructured object");

    private final KubernetesClient client;
    private final HttpClient http;

    ServerSideApply(KubernetesClient client) {
        this.client = client;
        // fabric8 retries every 429 and 5xx itself, a schema rejection too (for about 100 s with the
        // default backoff): this client does not, send() retries what may pass
        RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        this.http = client.getHttpClient().newBuilder().tag(once).build();
    }

    /** @param mayRetry asked before each retry: a write that may no longer be made is not made again */
    Answer send(ResourceDefinitionContext kind, ResourceKey key, ObjectNode body, String fieldManager,
            boolean forceConflicts, boolean dryRun, BooleanSupplier mayRetry) {
        StringBuilder query = new StringBuilder("?fieldManager=").append(URLEncoder.encode(fieldManager,
                StandardCharsets.UTF_8));
        if (forceConflicts) {
            query.append("&force=true");
        }
        if (dryRun) {
            query.append("&dryRun=All");
        }
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(url(kind, key) + query)
                .method("PATCH", PatchType.SERVER_SIDE_APPLY.getContentType(), client.getKubernetesSerialization().asJson(body))
                .build();
        Config config = client.getConfiguration();
        for (int retries = 0; ; retries++) {
            Answer answer = once(request, config.getRequestTimeout());
            if (!answer.transientFailure() || retries >= config.getRequestRetryBackoffLimit()) {
                return answer;
            }
            long backoff = (long) config.getRequestRetryBackoffInterval() << Math.min(retries, 16);
            try {
                Thread.sleep(Math.max(backoff, answer.retryAfterMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            if (!mayRetry.getAsBoolean()) {
                return answer;
            }
        }
    }

    /**
     * Deletes with background propagation and a uid precondition: 409 when the object of that name
     * is another one now, 404 when it is gone. Not retried: the next sync reads it again.
     */
    Answer delete(ResourceDefinitionContext kind, ResourceKey key, String uid) {
        ObjectNode options = client.getKubernetesSerialization().convertValue(Map.of("kind", "DeleteOptions",
                "apiVersion", "v1", "propagationPolicy", "Background", "preconditions", Map.of("uid", uid)),
                ObjectNode.class);
        HttpRequest request = http.newHttpRequestBuilder().uri(url(kind, key))
                .method("DELETE", "application/json", client.getKubernetesSerialization().asJson(options)).build();
        return once(request, client.getConfiguration().getRequestTimeout());
    }

    private Answer once(HttpRequest request, int timeout) {
        // the wait is bounded here, not by the request's own timeout: fabric8 cancels that timer
        // when the answer comes, and each cancellation builds an exception with its stack trace
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(request, byte[].class);
        try {
            HttpResponse<byte[]> response = timeout > 0 ? sent.get(timeout, TimeUnit.MILLISECONDS) : sent.get();
            return new Answer(response.code(), response.body(), retryAfterMillis(response), false);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Answer(0, "no answer within " + timeout + " ms");
        } catch (ExecutionException e) {
            byte[] cause = String.valueOf(e.getCause()).getBytes(StandardCharsets.UTF_8);
            return new Answer(0, cause, 0, e.getCause() instanceof IOException);
        }
    }

    /** The wait a throttling API server asks for (Retry-After, in seconds), 0 when it asks none. */
    private static long retryAfterMillis(HttpResponse<?> response) {
        String seconds = response.header("Retry-After");
        if (seconds == null) {
            return 0;
        }
        try {
            return Long.parseLong(seconds.trim()) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The message of a failed apply: the API server's Status message, else what came back. */
    String message(Answer answer) {
        String body = answer.text();
        if (answer.code() > 0) {
            try {
                Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
                if (status != null && status.getMessage() != null) {
                    return status.getMessage();
                }
            } catch (RuntimeException e) {
                // not a Status (a proxy's error page, say): the body itself says more than nothing
            }
        }
        String said = body.length() > MESSAGE_LIMIT ? body.substring(0, MESSAGE_LIMIT) + "…" : body;
        return answer.code() > 0 ? "HTTP " + answer.code() + ": " + said : said;
    }

    private String url(ResourceDefinitionContext kind, ResourceKey key) {
        String master = client.getConfiguration().getMasterUrl();
        StringBuilder url = new StringBuilder(master.endsWith("/") ? master : master + "/");
        url.append(kind.getGroup() == null || kind.getGroup().isEmpty() ? "api/" : "apis/" + kind.getGroup() + "/")
                .append(kind.getVersion());
        if (!key.clusterScoped()) {
            url.append("/namespaces/").append(key.namespace());
        }
        return url.append('/').append(kind.getPlural()).append('/').append(segment(key.name())).toString();
    }

    /** A name as one path segment: most kinds allow any character but '/' and '%' (RBAC uses ':', some '?' or spaces). */
    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
