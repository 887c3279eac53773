package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.StatusPageRepoResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The status page as a browser shows it: headless Chromium (Debian's) loads it from a daemon
 * synced to the real kube-apiserver; the rendered DOM is checked and a screenshot of each page is
 * saved under docs/. The pages carry no script at all, so they read the same without JavaScript.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StatusPageRepoResource.class, restrictToAnnotatedClass = true)
@Tag("peer")
class StatusPageTest {

    private static final String OUT_OF_BAND_PASSWORD = "out-of-band-password-88e1";
    private static KubernetesClient client;

    @TestHTTPResource("/")
    URL daemon;

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void showsEveryEnvironmentAndEachOnesDriftPoliciesAndEventsWithoutJavaScript() throws Exception {
        String env = StatusPageRepoResource.ENVIRONMENT;
        // a 404 problem, without syncStatus, until the first fetch from Git
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                given().get("/api/v1/environments/" + env).jsonPath().getString("syncStatus")).isEqualTo("Synced"));
        String revision = given().get("/api/v1/environments/" + env).then().extract().path("revision");

        assertThat(given().get("/").then().statusCode(200).extract().asString()).doesNotContainIgnoringCase("<script");
        String index = chromium("--dump-dom", daemon.toString());
        assertThat(index).contains("<a href=\"/environments/storefront\">storefront</a>", revision.substring(0, 12),
                "Synced", "http-equiv=\"refresh\"");

        // somebody edits the ConfigMap and the Secret by hand; self-heal is off, so the drift stays
        client.configMaps().inNamespace(StatusPageRepoResource.NAMESPACE).withName("settings")
                .edit(map -> { map.getData().put("MODE", "green"); return map; });
        client.secrets().inNamespace(StatusPageRepoResource.NAMESPACE).withName("credentials").edit(secret -> {
            secret.setData(Map.of("password", Base64.getEncoder().encodeToString(
                    OUT_OF_BAND_PASSWORD.getBytes(StandardCharsets.UTF_8))));
            return secret;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                (Integer) given().get("/api/v1/environments/" + env).then().extract().path("driftCount")).isEqualTo(2));

        assertThat(given().get("/environments/" + env).then().statusCode(200).extract().asString())
                .doesNotContainIgnoringCase("<script");
        String page = chromium("--dump-dom", daemon + "environments/" + env);
        assertThat(page).contains("<h1>storefront</h1>", "OutOfSync", "ConfigMap/page-storefront/settings",
                "Secret/page-storefront/credentials", "MODE", "team-label", "every ConfigMap names its team",
                "Recent events", "Applied", "Deployment/page-storefront/web");
        assertThat(page).as("no secret value reaches the page")
                .doesNotContain(StatusPageRepoResource.DECLARED_PASSWORD).doesNotContain(OUT_OF_BAND_PASSWORD);

        String missing = chromium("--dump-dom", daemon + "environments/nowhere");
        assertThat(missing).contains("No environment nowhere", "storefront");

        Path docs = Files.createDirectories(Path.of("docs"));
        screenshot(daemon.toString(), docs.resolve("status-page.png"), "1280,420");
        screenshot(daemon + "environments/" + env, docs.resolve("status-page-environment.png"), "1280,1400");
        assertThat(Files.size(docs.resolve("status-page.png"))).isGreaterThan(10_000);
        assertThat(Files.size(docs.resolve("status-page-environment.png"))).isGreaterThan(10_000);
    }

    private static void screenshot(String url, Path file, String size) throws Exception {
        Files.deleteIfExists(file);
        chromium("--screenshot=" + file.toAbsolutePath(), "--window-size=" + size, url);
    }

    /** Runs headless Chromium and returns what it printed. */
    private static String chromium(String... arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("treum-gitops-chromium");
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--hide-scrollbars"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finishes").isTrue();
        assertThat(process.exitValue()).as("chromium exit status").isZero();
        return output;
    }
}
