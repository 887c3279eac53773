package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.webhook.Signatures;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.WebhookRepoResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of signed pushes on loopback, in a bounded loop: 20,000 with 15 KB delivery ids, 20,000
 * replays of one id and 20,000 without any. Every one is answered at once; the daemon keeps what
 * it remembers bounded, stays ready, and fetches Git about once a second however many pushes come.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WebhookRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class WebhookFloodTest {

    private static final Logger LOG = Logger.getLogger(WebhookFloodTest.class);
    private static final int PUSHES = 20_000;
    private static final Pattern FETCHES = Pattern.compile("treum_gitops_git_fetches_total\\{result=\"success\"} ([0-9.E]+)");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/webhooks/github")
    URL github;

    @Test
    void aFloodOfPushesIsAnsweredAtOnceAndCostsAFetchASecond() throws Exception {
        byte[] body = ("{\"ref\":\"refs/heads/main\",\"commits\":[{\"added\":[],\"modified\":"
                + "[\"environments/hooked-a/kubernetes/app.yaml\"],\"removed\":[]}]}").getBytes(StandardCharsets.UTF_8);
        String signature = Signatures.sign(body, WebhookRepoResource.SECRET);
        String longId = "d".repeat(15 * 1024);
        long heapBefore = heapAfterGc();
        double fetchesBefore = fetches();
        long started = System.nanoTime();

        Map<Integer, Integer> longIds = flood(body, signature, i -> longId + i);
        Map<Integer, Integer> replays = flood(body, signature, i -> "6b1b4a3e-0f55-4e38-9b8e-replayed");
        Map<Integer, Integer> withoutIds = flood(body, signature, i -> null);

        double seconds = (System.nanoTime() - started) / 1e9;
        // the last pushes' fetch may still be waiting for its turn
        await().atMost(Duration.ofSeconds(30)).until(() -> !health().contains("asked for by a push"));
        double fetched = fetches() - fetchesBefore;
        long heapGrowth = heapAfterGc() - heapBefore;
        LOG.infof("flood: %d pushes in %.1f s; long ids %s, replays %s, without ids %s; %.0f fetches; heap %+d MB",
                3 * PUSHES, seconds, longIds, replays, withoutIds, fetched, heapGrowth >> 20);

        assertThat(longIds).as("a 15 KB delivery id is no id").isEqualTo(Map.of(400, PUSHES));
        assertThat(replays).as("one id, once").isEqualTo(Map.of(202, 1, 409, PUSHES - 1));
        assertThat(withoutIds).isEqualTo(Map.of(202, PUSHES));
        assertThat(fetched).as("pushes share fetches, at most one a second").isLessThanOrEqualTo(seconds + 3);
        assertThat(heapGrowth).as("what the daemon remembers of pushes stays bounded").isLessThan(64L << 20);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Sends the push {@link #PUSHES} times, one after another, and counts the answers by status. */
    private Map<Integer, Integer> flood(byte[] body, String signature, java.util.function.IntFunction<String> delivery)
            throws Exception {
        Map<Integer, Integer> answers = new TreeMap<>();
        for (int i = 0; i < PUSHES; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(github.toURI()).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", signature);
            String id = delivery.apply(i);
            if (id != null) {
                request.header("X-GitHub-Delivery", id);
            }
            answers.merge(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode(), 1, Integer::sum);
        }
        return answers;
    }

    private String health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(github.toString().replace("/webhooks/github", "/q/health")))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private double fetches() throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(github.toString().replace("/webhooks/github",
                "/q/metrics"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = FETCHES.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static long heapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
