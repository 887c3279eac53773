package ai.treum.gitops.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.DaemonProcess;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon as a process, logging as it does in the cluster: every line is one JSON object, and
 * each line about a sync names the sync's environment, revision and trigger; killed and started
 * again, it shows the history the one before it kept, and its first sync adds nothing to it.
 */
@Tag("peer")
class DaemonRestartIT {

    private static final String NAMESPACE = "restart-it";
    private static final String ENVIRONMENT = "restarted";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> IN_CLUSTER = Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");

    private static KubernetesClient client;
    private static final List<DaemonProcess> daemons = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
    }

    @AfterAll
    static void stop() {
        daemons.forEach(d -> d.process().destroyForcibly());
        client.close();
    }

    @Test
    void aRestartedDaemonKeepsItsHistoryAndEveryLogLineIsJson() throws Exception {
        Path repo = FixtureRepo.create("treum-gitops-restart", tree -> write(tree, "1"));
        DaemonProcess first = launch("restart-a", repo);
        await().atMost(Duration.ofMinutes(1)).until(() -> "1".equals(version()));
        FixtureRepo.commit(repo, "v2", tree -> write(tree, "2"));
        String second = FixtureRepo.head(repo);
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(version())
                && history(first).findValuesAsText("revision").contains(second));
        JsonNode kept = history(first);
        assertThat(kept.findValuesAsText("kind")).containsOnly("SYNC").hasSize(2);
        first.kill();

        List<JsonNode> lines = jsonLines(first.log());
        List<JsonNode> aboutTheSync = lines.stream().filter(l -> l.path("message").asText()
                .startsWith("environment " + ENVIRONMENT + " at " + second.substring(0, 12))).toList();
        // the daemon's own inventory write asks for no follow-up sync: the commit is synced once
        assertThat(aboutTheSync).as("the summary of the sync of %s", second).hasSize(1);
        String trigger = aboutTheSync.get(0).path("mdc").path("trigger").asText();
        // the poll's, or a follow-up when the poll found the commit while the startup sync was still recording
        assertThat(trigger).isIn("git", "follow_up");
        List<JsonNode> ofTheSync = lines.stream().filter(l -> second.equals(l.path("mdc").path("revision").asText()))
                .toList();
        assertThat(ofTheSync).containsAll(aboutTheSync).allSatisfy(l -> {
            assertThat(l.path("mdc").path("environment").asText()).isEqualTo(ENVIRONMENT);
            assertThat(l.path("mdc").path("trigger").asText()).isEqualTo(trigger);
        });

        DaemonProcess restarted = launch("restart-b", repo);
        await().atMost(Duration.ofMinutes(1)).until(() -> restarted.get("/api/v1/environments/" + ENVIRONMENT)
                .path("lastSync").path("trigger").asText().equals("startup"));
        assertThat(history(restarted)).isEqualTo(kept);
    }

    private static DaemonProcess launch(String identity, Path repo) throws IOException {
        DaemonProcess daemon = DaemonProcess.launch(identity, repo, NAMESPACE, IN_CLUSTER);
        daemons.add(daemon);
        return daemon;
    }

    /** Every line of the log, each of which must be one JSON object. */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            try {
                lines.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }
        return lines;
    }

    private static JsonNode history(DaemonProcess daemon) throws IOException, InterruptedException {
        return daemon.get("/api/v1/environments/" + ENVIRONMENT + "/history?limit=100").path("records");
    }

    private static void write(Path tree, String version) throws IOException {
        Path dir = FixtureRepo.environment(tree, ENVIRONMENT, "restart-" + ENVIRONMENT, "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings("restart-" + ENVIRONMENT, version));
    }

    private static String version() {
        var map = client.configMaps().inNamespace("restart-" + ENVIRONMENT).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }
}
