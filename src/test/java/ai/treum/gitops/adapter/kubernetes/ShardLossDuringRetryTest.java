package ai.treum.gitops.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write waiting out an overloaded API server asks again whether this replica still holds the
 * environment's shard before each retry, and stops once it does not. A real kube-apiserver cannot
 * be made to answer 503 on demand, so a loopback HTTP server plays one: discovery of ConfigMaps,
 * and 503 with Retry-After to every apply.
 */
class ShardLossDuringRetryTest {

    private HttpServer server;
    private final AtomicInteger applies = new AtomicInteger();

    @BeforeEach
    void overloadedApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1", exchange -> {
            if (exchange.getRequestMethod().equals("PATCH")) {
                applies.incrementAndGet();
                exchange.getResponseHeaders().add("Retry-After", "0");
                answer(exchange, 503, "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"status\": \"Failure\", "
                        + "\"message\": \"the server is currently unable to handle the request\", \"code\": 503}");
            } else {
                answer(exchange, 200, "{\"kind\": \"APIResourceList\", \"groupVersion\": \"v1\", \"resources\": [{\"name\": "
                        + "\"configmaps\", \"namespaced\": true, \"kind\": \"ConfigMap\", \"verbs\": [\"get\", \"patch\"]}]}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRetryIsNotMadeOnceTheShardIsLost() {
        try (KubernetesClient client = client()) {
            // held until the first attempt is answered: the shard is lost while that 503 is waited out
            KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(5),
                    env -> env.equals("staging") && applies.get() == 0);
            ChangeEntry written = cluster.apply(settings(), false);

            assertThat(applies).as("one attempt, no retry for a replica that no longer holds the shard").hasValue(1);
            assertThat(written).isEqualTo(ChangeEntry.notHeld(written.key()));
        }
    }

    @Test
    void whileTheShardIsHeldTheWriteIsRetriedAsConfigured() {
        try (KubernetesClient client = client()) {
            KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(5), env -> true);
            ChangeEntry written = cluster.apply(settings(), false);

            assertThat(applies).as("the first attempt and the client's 3 retries").hasValue(4);
            assertThat(written.action()).isEqualTo(Action.FAILED);
            assertThat(written.detail()).isEqualTo("the server is currently unable to handle the request");
        }
    }

    @Test
    void noAttemptIsMadeForAShardNotHeld() {
        try (KubernetesClient client = client()) {
            ChangeEntry written = new KubernetesCluster(client, Duration.ofSeconds(5), env -> false).apply(settings(), false);
            assertThat(applies).hasValue(0);
            assertThat(written.detail()).isEqualTo("not written: this replica no longer holds the environment's shard");
        }
    }

    private KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(10).build()).build();
    }

    private static DesiredResource settings() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        body.with("metadata").put("name", "settings").put("namespace", "staging");
        return Ownership.stamp(new DesiredResource(ResourceKey.of("v1", "ConfigMap", "staging", "settings"), "v1", body,
                new SourceLocation("environments/staging/settings.yaml", 1)), "staging");
    }

    private static void answer(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
