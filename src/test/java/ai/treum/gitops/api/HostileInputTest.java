package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.HostileRepoResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile and careless input from Git against a running daemon: every spoiled revision of one
 * environment is refused whole, with file, line and rule, nothing of it is applied, and the other
 * environment keeps syncing each commit meanwhile; a hook that never ends is given up on and its
 * revision never called synced; no Secret value reaches any output.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = HostileRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class HostileInputTest {

    private static final Logger LOG = Logger.getLogger(HostileInputTest.class);
    private static final String SECRET = "s3cr3t-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    private static KubernetesClient client;
    private static Path work;

    /** One way to spoil the environment: what to write into its kubernetes/ folder (or its spec), and the rule that must say so. */
    private record Input(String name, String[] spec, FixtureRepo.Writer spoil, String file, String rule) {
    }

    @BeforeAll
    static void connect() {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(HostileRepoResource.REPO_PROPERTY));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static List<Input> inputs() {
        String[] fine = {"sync: {auto: true, interval: 10m}"};
        FixtureRepo.Writer nothing = dir -> { };
        return List.of(
                new Input("interval beyond a long", new String[] {"sync: {auto: true, interval: 99999999999999999999s}"},
                        nothing, "environment.yaml", "environment-interval"),
                new Input("interval of countless days", new String[] {"sync: {auto: true, interval: 99999999999999d}"},
                        nothing, "environment.yaml", "environment-interval"),
                new Input("zero interval", new String[] {"sync: {auto: true, interval: 0s}"}, nothing, "environment.yaml",
                        "environment-interval"),
                new Input("negative interval", new String[] {"aws: {interval: -5m}"}, nothing, "environment.yaml",
                        "environment-interval"),
                new Input("misspelt key", new String[] {"sync:", "  auto: true", "  selfheal: true"}, nothing,
                        "environment.yaml", "unknown-field"),
                new Input("a string for a boolean", new String[] {"sync: {auto: \"yes\"}"}, nothing, "environment.yaml",
                        "field-type"),
                new Input("an alias", fine, dir -> Files.writeString(dir.resolve("alias.yaml"), """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: aliased
                        data:
                          IMAGE: *img
                        """), "alias.yaml", "yaml-alias"),
                new Input("an anchor on a single value", fine, dir -> Files.writeString(dir.resolve("anchor.yaml"), """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: anchored
                        data:
                          IMAGE: &img registry.treum.ai/web:1.0
                        """), "anchor.yaml", "yaml-anchor"),
                new Input("a syntax error on a secret's line", fine, dir -> Files.writeString(dir.resolve("secret.yaml"), """
                        apiVersion: v1
                        kind: Secret
                        metadata:
                          name: db
                        stringData:
                          password: "%s
                        """.formatted(SECRET)), "secret.yaml", "yaml-syntax"),
                new Input("a file of 2 MiB", fine, dir -> Files.writeString(dir.resolve("big.yaml"),
                        ("# " + "x".repeat(1022) + "\n").repeat(2048)), "big.yaml", "file-too-large"),
                new Input("a symbolic link", fine, dir -> Files.createSymbolicLink(dir.resolve("link.yaml"),
                        Path.of("/etc/hostname")), "link.yaml", "symlink"),
                new Input("an object in the daemon's namespace", fine, dir -> Files.writeString(dir.resolve("lease.yaml"), """
                        apiVersion: coordination.k8s.io/v1
                        kind: Lease
                        metadata:
                          name: planted
                          namespace: treum-gitops
                        """), "lease.yaml", "reserved-namespace"));
    }

    @Test
    @Order(1)
    void everySpoiledRevisionIsRefusedWholeAndTheOtherEnvironmentKeepsSyncing() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> "v1".equals(version(HostileRepoResource.HOSTILE))
                && "v1".equals(version(HostileRepoResource.CALM)));
        int tried = 0;
        int appliedFromBad = 0;
        int leaked = 0;
        for (Input input : inputs()) {
            String bad = "bad-" + tried;
            FixtureRepo.commit(work, input.name(), tree -> input.spoil().write(HostileRepoResource.hostile(tree, bad,
                    input.spec())));
            String head = FixtureRepo.head(work);
            JsonPath status = await().atMost(Duration.ofSeconds(30)).until(() -> environment("hostile"),
                    s -> head.equals(s.getString("revision")) && "Rejected".equals(s.getString("syncStatus")));
            List<String> errors = status.getList("lastSync.errors", String.class);
            assertThat(errors).as(input.name()).anySatisfy(e -> assertThat(e)
                    .startsWith("environments/hostile/" + (input.file().equals("environment.yaml") ? "" : "kubernetes/")
                            + input.file() + ":").contains(": " + input.rule() + ": "));
            appliedFromBad += bad.equals(version(HostileRepoResource.HOSTILE)) ? 1 : 0;
            leaked += given().get("/api/v1/environments/hostile").asString().contains(SECRET) ? 1 : 0;
            LOG.infof("hostile input %d, %s: refused with %s", tried, input.name(), errors);

            String calm = "calm-" + tried;
            FixtureRepo.commit(work, "calm " + calm, tree -> HostileRepoResource.calm(tree, calm));
            await("the other environment keeps syncing after " + input.name()).atMost(Duration.ofSeconds(30))
                    .until(() -> calm.equals(version(HostileRepoResource.CALM)));
            tried++;
        }
        assertThat(tried).isEqualTo(inputs().size());
        assertThat(appliedFromBad).as("objects applied from a refused revision").isZero();
        assertThat(leaked).as("secret values in the status API").isZero();
        assertThat(version(HostileRepoResource.HOSTILE)).isEqualTo("v1");
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aHookThatNeverEndsHoldsUpNoOtherEnvironmentAndIsGivenUpOnAtTheDaemonsLimit() throws Exception {
        FixtureRepo.commit(work, "a migration that never starts, with a deadline of 31 years", tree -> Files.writeString(
                HostileRepoResource.hostile(tree, "v2", "sync: {auto: true, interval: 10m}").resolve("migrate.yaml"), """
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          name: migrate
                          annotations: {gitops.treum.ai/hook: pre-sync}
                        spec:
                          backoffLimit: 0
                          activeDeadlineSeconds: 999999999
                          template:
                            metadata:
                              labels: {app: migrate, kwok.treum.ai/never-ready: "true"}
                            spec:
                              restartPolicy: Never
                              containers:
                                - name: migrate
                                  image: registry.treum.ai/web:2.0
                        """));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.batch().v1().jobs()
                .inNamespace(HostileRepoResource.HOSTILE).withName("migrate").get() != null);

        // while that sync waits on its hook, the other environment's commits are applied
        FixtureRepo.commit(work, "calm during the hook", tree -> HostileRepoResource.calm(tree, "during-hook"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "during-hook".equals(version(HostileRepoResource.CALM)));

        // given up on at the daemon's limit, and said so on the Job
        await().atMost(Duration.ofSeconds(60)).until(() -> client.v1().events().inNamespace(HostileRepoResource.HOSTILE)
                .list().getItems().stream().anyMatch(e -> "SyncFailed".equals(e.getReason())
                        && e.getInvolvedObject().getName().equals("migrate")
                        && e.getMessage().contains("pre-sync hook failed: not finished after 20 s")));

        // the config wave went out before the hook, so every object matches: the revision is still not synced
        await("no sync may call the revision synced while its hook has not succeeded").during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10)).until(() -> !"Synced".equals(environment("hostile").getString("syncStatus")));
        assertThat(environment("hostile").getString("lastSync.result")).isEqualTo("Failed");
    }

    /**
     * Secrets with random values through a running daemon: refused by the API server (a number
     * where a string belongs, a TLS Secret without its certificate, data that is not base64),
     * applied, then changed by hand so drift is found. Every log line the daemon wrote meanwhile,
     * every Event in the environment's namespace, the status API, the page and the metrics are
     * searched for each value, plain and base64.
     */
    @Test
    @Order(3)
    void noSecretValueReachesLogsEventsStatusPageOrMetrics() throws Exception {
        java.util.Random random = new java.util.Random(20261206L);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            values.add("v" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "-" + i);
        }
        String number = Long.toString(900_000_000_000L + random.nextInt(99_999_999));
        values.add(number);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                String text = record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                        : record.getMessage();
                lines.add(text + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(capture);
        try {
            FixtureRepo.commit(work, "secrets the API server refuses", tree -> {
                Path dir = HostileRepoResource.hostile(tree, "refused", "sync: {auto: true, interval: 10m}");
                Files.writeString(dir.resolve("secrets.yaml"), secrets(values, number, true));
            });
            String refused = FixtureRepo.head(work);
            await().atMost(Duration.ofSeconds(60)).until(() -> environment("hostile"),
                    st -> refused.equals(st.getString("revision")) && "Failed".equals(st.getString("lastSync.result")));

            FixtureRepo.commit(work, "secrets that apply", tree -> {
                Path dir = HostileRepoResource.hostile(tree, "applied", "sync: {auto: true, interval: 10m}");
                Files.writeString(dir.resolve("secrets.yaml"), secrets(values, number, false));
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> "applied".equals(version(HostileRepoResource.HOSTILE)));
            client.secrets().inNamespace(HostileRepoResource.HOSTILE).withName("secret-0").edit(secret -> {
                secret.getData().put("password", java.util.Base64.getEncoder().encodeToString(values.get(1)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                return secret;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> !environment("hostile").getList("drift").isEmpty());
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }

        List<String> outputs = new ArrayList<>(lines);
        client.v1().events().inNamespace(HostileRepoResource.HOSTILE).list().getItems()
                .forEach(e -> outputs.add(e.getReason() + " " + e.getMessage()));
        outputs.add(given().get("/api/v1/environments").asString());
        outputs.add(given().get("/api/v1/environments/hostile").asString());
        outputs.add(given().get("/").asString());
        outputs.add(given().get("/environments/hostile").asString());
        outputs.add(given().accept("text/plain").get("/q/metrics").asString());
        List<String> leaks = new ArrayList<>();
        for (String value : values) {
            String encoded = java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            outputs.stream().filter(o -> o.contains(value) || o.contains(encoded)).forEach(o -> leaks.add(value + " in " + o));
        }
        LOG.infof("secret leak search: %d values in %d log lines, %d other outputs; leaks %d", values.size(), lines.size(),
                outputs.size() - lines.size(), leaks.size());
        assertThat(lines).as("the daemon logged the failed sync").anyMatch(l -> l.contains("refused the Secret"));
        assertThat(leaks).isEmpty();
    }

    /** Secrets holding the values; with {@code refused}, three of them are ones the API server refuses. */
    private static String secrets(List<String> values, String number, boolean refused) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < values.size() - 1; i++) {
            yaml.append("""
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: secret-%d
                    stringData:
                      password: "%s"
                    ---
                    """.formatted(i, values.get(i)));
        }
        if (refused) {
            yaml.append("""
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: port
                    stringData:
                      port: %s
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: tls
                    type: kubernetes.io/tls
                    stringData:
                      tls.key: "%s"
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: raw
                    data:
                      token: "%s!"
                    """.formatted(number, values.get(2), values.get(3)));
        }
        return yaml.toString();
    }

    private static JsonPath environment(String name) {
        return given().get("/api/v1/environments/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static String version(String namespace) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName("settings").get();
        return map == null ? null : map.getData().get("VERSION");
    }
}
