package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Server-side apply of the JSON the sync built, through fabric8's authenticated HTTP client. The
 * typed DSL would convert every object into fabric8's model and back to JSON, then parse the whole
 * object the API server returns: about a third of the daemon's CPU in a large first sync, where a
 * real apply needs only the verdict.
 */
final class ServerSideApply {

    /**
     * The API server's answer: the status code, and the body (the object, or a Status on failure),
     * kept as bytes: a successful apply never reads it.
     */
    record Answer(int code, byte[] body) {

        boolean ok() {
            return HttpResponse.isSuccessful(code);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MESSAGE_LIMIT = 300;

    private final KubernetesClient client;

    ServerSideApply(KubernetesClient client) {
        this.client = client;
    }

    Answer send(ResourceDefinitionContext kind, ResourceKey key, ObjectNode body, boolean forceConflicts, boolean dryRun) {
        StringBuilder query = new StringBuilder("?fieldManager=").append(Ownership.FIELD_MANAGER);
        if (forceConflicts) {
            query.append("&force=true");
        }
        if (dryRun) {
            query.append("&dryRun=All");
        }
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(url(kind, key) + query)
                .method("PATCH", PatchType.SERVER_SIDE_APPLY.getContentType(), client.getKubernetesSerialization().asJson(body))
                .build();
        // the wait is bounded here, not by the request's own timeout: fabric8 cancels that timer
        // when the answer comes, and each cancellation builds an exception with its stack trace
        int timeout = client.getConfiguration().getRequestTimeout();
        CompletableFuture<HttpResponse<byte[]>> sent = client.getHttpClient().sendAsync(request, byte[].class);
        try {
            HttpResponse<byte[]> response = timeout > 0 ? sent.get(timeout, TimeUnit.MILLISECONDS) : sent.get();
            return new Answer(response.code(), response.body());
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted".getBytes(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Answer(0, ("no answer within " + timeout + " ms").getBytes(StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            return new Answer(0, String.valueOf(e.getCause()).getBytes(StandardCharsets.UTF_8));
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
