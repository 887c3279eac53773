package ai.treum.gitops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An error as RFC 9457 problem details ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }

    public static Problem notFound(String detail, String instance) {
        return new Problem("https://treum.ai/problems/not-found", "Not Found", 404, detail, instance);
    }
}
