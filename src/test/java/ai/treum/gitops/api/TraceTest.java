package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.webhook.Signatures;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.TracedRepoResource;
import ai.treum.gitops.peers.WebhookRepoResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, one trace follows a push from its webhook request through the fetch, the plan,
 * the apply and the recording of the result, each span naming the environment and revision.
 */
@QuarkusTest
@TestProfile(TraceTest.Traced.class)
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TracedRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class TraceTest {

    /** Tracing on, spans to {@link ai.treum.gitops.peers.InMemorySpans} only, exported at once. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    private static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey("treum_gitops.environment");
    private static final AttributeKey<String> REVISION = AttributeKey.stringKey("treum_gitops.revision");
    private static KubernetesClient client;

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void aPushIsOneTraceFromWebhookToFetchPlanApplyAndRecord() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> "v1".equals(version()));
        Path work = Path.of(System.getProperty(TracedRepoResource.REPO_PROPERTY));
        FixtureRepo.commit(work, "v2", tree -> TracedRepoResource.write(tree, "v2"));
        String sha = FixtureRepo.head(work);
        byte[] body = ("{\"ref\":\"refs/heads/main\",\"commits\":[{\"added\":[],\"modified\":[\"environments/"
                + TracedRepoResource.ENVIRONMENT + "/kubernetes/app.yaml\"],\"removed\":[]}]}")
                .getBytes(StandardCharsets.UTF_8);

        given().header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", Signatures.sign(body, WebhookRepoResource.SECRET))
                .contentType("application/json").body(body).post("/webhooks/github").then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> "v2".equals(version()) && spans.getFinishedSpanItems()
                .stream().anyMatch(s -> s.getName().equals("record") && sha.equals(s.getAttributes().get(REVISION))));
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData webhook = all.stream().filter(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/webhooks/"))
                .reduce((first, second) -> second).orElseThrow();
        SpanData fetch = child(all, webhook, "git fetch");
        SpanData plan = child(all, fetch, "plan");
        SpanData apply = child(all, plan, "apply");
        SpanData record = child(all, apply, "record");
        for (SpanData step : List.of(plan, apply, record)) {
            assertThat(step.getAttributes().get(ENVIRONMENT)).as(step.getName()).isEqualTo(TracedRepoResource.ENVIRONMENT);
            assertThat(step.getAttributes().get(REVISION)).as(step.getName()).isEqualTo(sha);
        }
        assertThat(List.of(fetch, plan, apply, record)).allMatch(s -> s.getTraceId().equals(webhook.getTraceId()));
    }

    /** The one span named {@code name} whose parent is {@code parent}. */
    private static SpanData child(List<SpanData> all, SpanData parent, String name) {
        return all.stream().filter(s -> s.getName().equals(name) && s.getParentSpanId().equals(parent.getSpanId()))
                .reduce((a, b) -> {
                    throw new AssertionError("two spans " + name + " under " + parent.getName());
                }).orElseThrow(() -> new AssertionError("no span " + name + " under " + parent.getName() + "; spans: "
                        + all.stream().filter(s -> !s.getName().matches("GET|PATCH|PUT|POST")).map(s -> s.getName() + " "
                                + s.getSpanId() + "<" + s.getParentSpanId() + s.getAttributes()).toList()));
    }

    private static String version() {
        var map = client.configMaps().inNamespace(TracedRepoResource.NAMESPACE).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }
}
