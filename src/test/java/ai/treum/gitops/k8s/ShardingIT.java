package ai.treum.gitops.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.shard.Shards;
import ai.treum.gitops.peers.ApiTokens;
import ai.treum.gitops.peers.DaemonProcess;
import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeers;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two daemon processes (the packaged fast-jar) share two environments through shard Leases on the
 * real kube-apiserver: the second to start takes one shard over from the first, each environment
 * is written by exactly one of them, and when the holder of one is killed the other takes it over
 * within the lease duration and applies the commit made meanwhile, rewriting nothing else.
 */
@Tag("peer")
class ShardingIT {

    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final String NAMESPACE = "sharding-it";
    private static final String GONE_MEMBER = "treum-gitops-member-replica-gone";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KubernetesClient client;
    private static Path repo;
    private static final Map<String, DaemonProcess> daemons = new TreeMap<>();
    private static final List<String> environments = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        client = KubernetesPeer.adminClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        // two environments whose names fall into different shards of two
        for (String candidate : List.of("north", "south", "east", "west", "centre")) {
            if (environments.stream().noneMatch(e -> Shards.of(e, 2) == Shards.of(candidate, 2))) {
                environments.add(candidate);
            }
        }
        // the membership Lease of a replica gone an hour ago: not counted, and cleared away
        client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(GONE_MEMBER)
                .addToLabels("gitops.treum.ai/member", "true").endMetadata().withNewSpec().withHolderIdentity("replica-gone")
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1)).withLeaseDurationSeconds(6).endSpec().build())
                .create();
        repo = FixtureRepo.create("treum-gitops-sharding", tree -> {
            for (String env : environments) {
                write(tree, env, "1");
            }
        });
    }

    @AfterAll
    static void stop() {
        daemons.values().forEach(d -> d.process().destroyForcibly());
    }

    @Test
    void oneReplicaWritesEachEnvironmentAndTheOtherTakesOverWhenItDies() throws Exception {
        DaemonProcess first = launch("replica-a");
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            for (String env : environments) {
                assertThat(holds(first, env)).as("replica-a holds %s", env).isTrue();
                assertThat(version(env)).isEqualTo("1");
            }
            assertThat(client.leases().inNamespace(NAMESPACE).withName(GONE_MEMBER).get()).isNull();
        });

        DaemonProcess second = launch("replica-b");
        // the shards spread: each replica ends up holding exactly one environment
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            for (String env : environments) {
                assertThat(holds(first, env) ^ holds(second, env)).as("exactly one replica holds %s", env).isTrue();
            }
            assertThat(environments.stream().filter(env -> holds(second, env))).hasSize(1);
            for (String env : environments) {
                assertThat(environment(second, env).path("syncStatus").asText()).isEqualTo("Synced");
            }
        });
        String moved = environments.stream().filter(env -> holds(second, env)).findFirst().orElseThrow();
        // taking a synced environment over rewrites nothing: every write so far came from replica-a
        assertThat(writers(moved)).isEqualTo(Map.of("replica-a", 2L));

        // a sync asked of the replica that does not hold the environment runs on the one that does
        HttpResponse<String> asked = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + first.port()
                + "/api/v1/environments/" + moved + "/sync")).header("Authorization", "Bearer " + ApiTokens.operator())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode lastSync = environment(second, moved).path("lastSync");
            assertThat(lastSync.path("trigger").asText()).isEqualTo("api");
            assertThat(lastSync.path("user").asText()).as("who asked travels with the request")
                    .isEqualTo(ApiTokens.user("treum-operator"));
        });

        // the holder of the other environment dies without a word; a commit lands meanwhile
        String orphan = environments.stream().filter(env -> holds(first, env)).findFirst().orElseThrow();
        Map<String, Long> before = writers(orphan);
        first.kill();
        Instant killed = Instant.now();
        FixtureRepo.commit(repo, "orphan v2", tree -> write(tree, orphan, "2"));

        // the Lease runs out 6 s after its last renewal; the survivor tries every second, with jitter
        await().atMost(LEASE.plus(RETRY.multipliedBy(4))).pollInterval(Duration.ofMillis(200))
                .until(() -> holds(second, orphan));
        Duration takeover = Duration.between(killed, Instant.now());
        System.out.printf("ShardingIT: %s taken over by replica-b %d ms after replica-a was killed (lease %d s)%n",
                orphan, takeover.toMillis(), LEASE.toSeconds());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(version(orphan)).isEqualTo("2"));

        // nothing lost, nothing written twice: replica-b wrote only the changed ConfigMap
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Long> after = writers(orphan);
            assertThat(after.get("replica-a")).isEqualTo(before.get("replica-a"));
            assertThat(after.get("replica-b")).isEqualTo(1L);
        });
        assertThat(objectsWritten(orphan, "replica-b")).containsExactly("ConfigMap/settings");
        assertThat(writers(moved)).isEqualTo(Map.of("replica-a", 2L));
    }

    /** The value the environment's ConfigMap has in the cluster, or null. */
    private static String version(String env) {
        var map = client.configMaps().inNamespace(namespace(env)).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }

    /** Applied and DriftHealed Events on the environment's objects, counted by the replica that wrote. */
    private static Map<String, Long> writers(String env) {
        return writes(env).stream().collect(Collectors.groupingBy(Event::getReportingInstance, TreeMap::new,
                Collectors.counting()));
    }

    private static Set<String> objectsWritten(String env, String replica) {
        return writes(env).stream().filter(e -> replica.equals(e.getReportingInstance()))
                .map(e -> e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName())
                .collect(Collectors.toSet());
    }

    private static List<Event> writes(String env) {
        return client.v1().events().inNamespace(namespace(env)).list().getItems().stream()
                .filter(e -> Set.of("Applied", "DriftHealed").contains(e.getReason()))
                .filter(e -> !"Namespace".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    private static String namespace(String env) {
        return "sharding-" + env;
    }

    private static void write(Path tree, String env, String version) throws IOException {
        Path dir = FixtureRepo.environment(tree, env, namespace(env), "sync: {auto: true, selfHeal: true, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), FixtureRepo.namespaceWithSettings(namespace(env), version) + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                    - port: 80
                """);
    }

    private static DaemonProcess launch(String identity) throws Exception {
        DaemonProcess daemon = DaemonProcess.launch(identity, repo, NAMESPACE, Map.of(
                "TREUM_GITOPS_SHARDING_ENABLED", "true",
                "TREUM_GITOPS_SHARDING_SHARDS", "2",
                "TREUM_GITOPS_SHARDING_IDENTITY", identity,
                "TREUM_GITOPS_SHARDING_LEASE_DURATION", LEASE.toSeconds() + "s",
                "TREUM_GITOPS_SHARDING_RENEW_DEADLINE", (LEASE.toSeconds() - 2) + "s",
                "TREUM_GITOPS_SHARDING_RETRY_PERIOD", RETRY.toSeconds() + "s"));
        daemons.put(identity, daemon);
        return daemon;
    }

    private static JsonNode environment(DaemonProcess daemon, String name) throws IOException, InterruptedException {
        return daemon.get("/api/v1/environments/" + name);
    }

    private static boolean holds(DaemonProcess daemon, String name) {
        try {
            return environment(daemon, name).path("shard").path("heldHere").asBoolean(false);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
