package ai.treum.gitops.api.webhook;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.webhook.Signatures;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Push webhooks from GitHub, GitLab, and any other host or CI that signs like GitHub does. They
 * live under their own prefix, outside {@code /api}, so an Ingress can expose them alone.
 */
@Path("/webhooks")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhooksResource {

    private final WebhookReceiver receiver;
    private final GitopsConfig.Webhooks config;

    WebhooksResource(WebhookReceiver receiver, GitopsConfig config) {
        this.receiver = receiver;
        this.config = config.webhooks();
    }

    @POST
    @Path("github")
    public Response github(@HeaderParam("X-Hub-Signature-256") String signature,
            @HeaderParam("X-GitHub-Event") String event, @HeaderParam("X-GitHub-Delivery") String delivery, byte[] body) {
        return receiver.receive("github", config.github(), secret -> Signatures.validHmac(signature, body, secret),
                event == null ? "" : event, delivery, body, "/webhooks/github");
    }

    @POST
    @Path("gitlab")
    public Response gitlab(@HeaderParam("X-Gitlab-Token") String token, @HeaderParam("X-Gitlab-Event") String event,
            @HeaderParam("X-Gitlab-Event-UUID") String delivery, byte[] body) {
        return receiver.receive("gitlab", config.gitlab(), secret -> Signatures.validToken(token, secret),
                "Push Hook".equals(event) ? "push" : event == null ? "" : event, delivery, body,
                "/webhooks/gitlab");
    }

    /** Always a push; {@code X-Delivery} (unique per request) is required so replays can be refused. */
    @POST
    @Path("generic")
    public Response generic(@HeaderParam("X-Signature") String signature, @HeaderParam("X-Delivery") String delivery,
            byte[] body) {
        return receiver.receive("generic", config.generic(),
                secret -> delivery != null && Signatures.validHmac(signature, body, secret), "push", delivery, body,
                "/webhooks/generic");
    }
}
