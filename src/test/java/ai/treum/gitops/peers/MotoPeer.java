package ai.treum.gitops.peers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension: the JVM's real moto_server, emptied before each test class. Test methods take
 * its {@link MotoEndpoint} as a parameter.
 */
public final class MotoPeer implements BeforeAllCallback, ParameterResolver {

    /** Where moto_server answers every AWS service. */
    public record MotoEndpoint(URI url) {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        reset(LocalPeers.get().motoUrl());
    }

    /** Drops every resource moto holds, in every service and region. */
    public static void reset(URI moto) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(moto.resolve("/moto-api/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("moto reset answered " + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new MotoEndpoint(LocalPeers.get().motoUrl());
    }
}
