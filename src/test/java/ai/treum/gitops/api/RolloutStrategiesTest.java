package ai.treum.gitops.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.peers.FixtureRepo;
import ai.treum.gitops.peers.GuideMetrics;
import ai.treum.gitops.peers.InventoryMarks;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeersResource;
import ai.treum.gitops.peers.PrometheusServer;
import ai.treum.gitops.peers.StrategyRepoResource;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Blue-green, canary and analysed rollouts on a cluster that runs workloads (controllers and
 * kwok nodes): each strategy's intermediate states, seen through watches; a version that never
 * gets ready rolled back; analysis against a real Prometheus scraping an endpoint whose error
 * rate the test sets, and production's own analysis block over the guide's application metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalPeersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StrategyRepoResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("peer")
class RolloutStrategiesTest {

    private static final String BG = "rollout-bg";
    private static final String CANARY = "rollout-canary";
    private static final String ANALYSED = "rollout-analysis";
    private static final String HOOKED = "rollout-hooks";
    private static final String GUIDED = "rollout-guided";
    private static final Path PRODUCTION = Path.of("environments/production/environment.yaml");
    private static final String COLOR = "gitops.treum.ai/color";
    private static final AtomicReference<String> ERROR_RATE = new AtomicReference<>("0");
    /** Of the 100 requests environment {@code guided}'s application answers between two scrapes, how many with 500. */
    private static final AtomicInteger GUIDED_ERRORS = new AtomicInteger();
    private static final AtomicLong GUIDED_OK = new AtomicLong();
    private static final AtomicLong GUIDED_FAILED = new AtomicLong();
    private static KubernetesClient client;
    private static Path work;
    private static HttpServer app;
    private static Path prometheusDir;
    private static int prometheusPort;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void connect() throws Exception {
        client = KubernetesPeer.adminClient();
        work = Path.of(System.getProperty(StrategyRepoResource.REPO_PROPERTY));
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/q/metrics", exchange -> {
            byte[] body = ("# TYPE web_error_rate gauge\nweb_error_rate " + ERROR_RATE.get() + "\n" + guidedMetrics())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        prometheusDir = Files.createTempDirectory("treum-gitops-rollout-prometheus");
        prometheus = PrometheusServer.scraping("127.0.0.1:" + app.getAddress().getPort(), prometheusDir);
        prometheusPort = prometheus.url().getPort();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        app.stop(0);
        client.close();
    }

    @Test
    @Order(1)
    void blueGreenRunsBothColoursThenSwitchesTheServiceAndRemovesTheOldOne() throws Exception {
        String first = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> first.equals(marks("blue-green").get("gitops.treum.ai/healthy-revision")));
        assertThat(image(BG, "web-blue")).isEqualTo("registry.treum.ai/web:1.0");
        assertThat(deployment(BG, "web")).isNull();
        assertThat(selector(BG)).containsEntry(COLOR, "blue");

        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Map<String, Instant> when = Collections.synchronizedMap(new HashMap<>());
        try (Watch deployments = watchDeployments(BG, (action, d) -> {
                String name = d.getMetadata().getName();
                Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
                if (action == Watcher.Action.DELETED) {
                    log.add("deleted " + name);
                    when.put("deleted " + name, Instant.now());
                } else if (available != null && available.equals(d.getSpec().getReplicas())) {
                    log.add("available " + name);
                } else {
                    log.add("progressing " + name);
                }
            });
                Watch services = client.services().inNamespace(BG).withName("web").watch(new Recorder<>((action, s) -> {
                    log.add("service " + s.getSpec().getSelector().get(COLOR));
                    when.putIfAbsent("service " + s.getSpec().getSelector().get(COLOR), Instant.now());
                }))) {
            FixtureRepo.commit(work, "blue-green 2.0", tree -> StrategyRepoResource.blueGreen(tree, "2.0", true));
            String second = FixtureRepo.head(work);
            await().atMost(Duration.ofSeconds(90)).until(() -> second.equals(marks("blue-green")
                    .get("gitops.treum.ai/healthy-revision")) && deployment(BG, "web-blue") == null);
        }

        List<String> seen = List.copyOf(log);
        int greenAvailable = seen.indexOf("available web-green");
        int switched = seen.indexOf("service green");
        int blueDeleted = seen.indexOf("deleted web-blue");
        assertThat(seen).as("%s", seen).doesNotContain("deleted web-green").contains("progressing web-green");
        assertThat(greenAvailable).as("%s", seen).isGreaterThanOrEqualTo(0).isLessThan(switched);
        assertThat(switched).as("%s", seen).isLessThan(blueDeleted);
        assertThat(seen.subList(0, switched)).as("blue serves until green is available").doesNotContain("deleted web-blue");
        assertThat(Duration.between(when.get("service green"), when.get("deleted web-blue")))
                .as("the old colour is kept for the scale-down delay").isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(selector(BG)).containsEntry(COLOR, "green").containsEntry("app", "web");
        assertThat(image(BG, "web-green")).isEqualTo("registry.treum.ai/web:2.0");
        assertThat(marks("blue-green")).containsEntry("gitops.treum.ai/active-colors", "web=green");
    }

    @Test
    @Order(2)
    void aBlueGreenVersionThatNeverGetsReadyIsRolledBackAndTheServiceNeverMoves() throws Exception {
        List<String> service = Collections.synchronizedList(new ArrayList<>());
        try (Watch watch = client.services().inNamespace(BG).withName("web").watch(new Recorder<>((action, s) ->
                service.add(s.getSpec().getSelector().get(COLOR))))) {
            FixtureRepo.commit(work, "blue-green 3.0 never ready", tree -> StrategyRepoResource.blueGreen(tree, "3.0", false));
            String failing = FixtureRepo.head(work);
            await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(marks("blue-green")
                    .get("gitops.treum.ai/rolled-back-revision")));
            await().atMost(Duration.ofSeconds(30)).until(() -> deployment(BG, "web-blue") == null);
            assertThat(marks("blue-green").get("gitops.treum.ai/rolled-back-reason"))
                    .contains("Deployment/rollout-bg/web-blue: rollout exceeded its progress deadline");
        }
        assertThat(service).doesNotContain("blue");
        assertThat(selector(BG)).containsEntry(COLOR, "green");
        assertThat(image(BG, "web-green")).isEqualTo("registry.treum.ai/web:2.0");
    }

    @Test
    @Order(3)
    void canaryRaisesItsShareOfTheReplicasStepByStepThenPromotes() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> marks("canary").get("gitops.treum.ai/healthy-revision") != null);
        Map<String, Integer> replicas = new HashMap<>(Map.of("web", 10));
        List<String> ratios = Collections.synchronizedList(new ArrayList<>());
        try (Watch watch = watchDeployments(CANARY, (action, d) -> {
            synchronized (replicas) {
                if (action == Watcher.Action.DELETED) {
                    replicas.remove(d.getMetadata().getName());
                } else {
                    replicas.put(d.getMetadata().getName(), d.getSpec().getReplicas());
                }
                String ratio = replicas.getOrDefault("web", 0) + ":" + replicas.getOrDefault("web-canary", 0);
                if (ratios.isEmpty() || !ratios.get(ratios.size() - 1).equals(ratio)) {
                    ratios.add(ratio);
                }
            }
        })) {
            FixtureRepo.commit(work, "canary 2.0", tree -> StrategyRepoResource.canary(tree, "2.0", true));
            String second = FixtureRepo.head(work);
            await().atMost(Duration.ofSeconds(120)).until(() -> second.equals(marks("canary")
                    .get("gitops.treum.ai/healthy-revision")) && deployment(CANARY, "web-canary") == null);
        }
        List<String> seen = List.copyOf(ratios);
        assertThat(seen).as("stable:canary replicas").containsSubsequence("9:1", "5:5", "0:10", "10:10", "10:0");
        assertThat(seen.get(seen.size() - 1)).isEqualTo("10:0");
        assertThat(image(CANARY, "web")).isEqualTo("registry.treum.ai/web:2.0");
        assertThat(deployment(CANARY, "web").getSpec().getSelector().getMatchLabels()).containsOnly(Map.entry("app", "web"));
    }

    @Test
    @Order(4)
    void aCanaryThatNeverGetsReadyIsRemovedAndTheStableDeploymentKeepsAllReplicas() throws Exception {
        FixtureRepo.commit(work, "canary 3.0 never ready", tree -> StrategyRepoResource.canary(tree, "3.0", false));
        String failing = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(marks("canary").get("gitops.treum.ai/rolled-back-revision")));
        assertThat(marks("canary").get("gitops.treum.ai/rolled-back-reason"))
                .contains("Deployment/rollout-canary/web-canary: rollout exceeded its progress deadline");
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment(CANARY, "web-canary") == null
                && deployment(CANARY, "web").getSpec().getReplicas() == 10);
        assertThat(image(CANARY, "web")).isEqualTo("registry.treum.ai/web:2.0");
    }

    @Test
    @Order(5)
    void aGoodErrorRatePassesTheAnalysis() throws Exception {
        ERROR_RATE.set("0.01");
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("web_error_rate").size() == 1);
        FixtureRepo.commit(work, "analysed 1.0", tree -> analysed(tree, "1.0"));
        String first = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> first.equals(marks("analysed").get("gitops.treum.ai/healthy-revision")));
    }

    @Test
    @Order(6)
    void aBadErrorRateRollsBack() throws Exception {
        ERROR_RATE.set("0.5");
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("web_error_rate").path(0).path("value").path(1)
                .asText().equals("0.5"));
        FixtureRepo.commit(work, "analysed 2.0", tree -> analysed(tree, "2.0"));
        String failing = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(marks("analysed").get("gitops.treum.ai/rolled-back-revision")));
        assertThat(marks("analysed").get("gitops.treum.ai/rolled-back-reason"))
                .startsWith("analysis failed: error-rate: 0.5 > 0.05");
        await().atMost(Duration.ofSeconds(30)).until(() -> "registry.treum.ai/web:1.0".equals(image(ANALYSED, "web")));
    }

    @Test
    @Order(7)
    void prometheusDownPausesTheRolloutUntilItAnswersAgain() throws Exception {
        ERROR_RATE.set("0");
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("web_error_rate").path(0).path("value").path(1)
                .asText().equals("0"));
        String healthy = marks("analysed").get("gitops.treum.ai/healthy-revision");
        prometheus.close();
        prometheus = null;
        FixtureRepo.commit(work, "analysed 3.0", tree -> analysed(tree, "3.0"));
        String paused = FixtureRepo.head(work);
        // the daemon keeps asking, and while nobody answers the rollout neither moves on nor rolls back
        await().atMost(Duration.ofSeconds(90)).until(() -> given().get("/api/v1/environments/analysed").then().extract()
                .jsonPath().getString("rollout.phase"), phase -> phase != null && phase.contains("Prometheus unavailable")
                && unanswered(phase) >= 3);
        assertThat(marks("analysed")).containsEntry("gitops.treum.ai/healthy-revision", healthy)
                .doesNotContainEntry("gitops.treum.ai/rolled-back-revision", paused);
        assertThat(image(ANALYSED, "web")).isEqualTo("registry.treum.ai/web:3.0");

        prometheus = PrometheusServer.scraping("127.0.0.1:" + app.getAddress().getPort(), prometheusDir, prometheusPort);
        await().atMost(Duration.ofSeconds(90)).until(() -> paused.equals(marks("analysed").get("gitops.treum.ai/healthy-revision")));
    }

    @Test
    @Order(8)
    void aBackupThenAPreSyncMigrationSucceedBeforeTheWorkloadChangesAndASmokeTestAfter() throws Exception {
        FixtureRepo.commit(work, "hooked 1.0", tree -> hooked(tree, "1.0", true, true));
        String first = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> first.equals(marks("hooked").get("gitops.treum.ai/healthy-revision")));

        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Watch jobs = client.batch().v1().jobs().inNamespace(HOOKED).watch(new Recorder<>((action, job) -> {
                    boolean complete = job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus()
                            .getConditions().stream().anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"));
                    log.add(job.getMetadata().getName() + (complete ? " complete " : " running ")
                            + job.getMetadata().getAnnotations().get("gitops.treum.ai/hook-revision"));
                }));
                Watch deployments = watchDeployments(HOOKED, (action, d) -> log.add("web "
                        + d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))) {
            FixtureRepo.commit(work, "hooked 2.0", tree -> hooked(tree, "2.0", true, true));
            String second = FixtureRepo.head(work);
            await().atMost(Duration.ofSeconds(90)).until(() -> second.equals(marks("hooked")
                    .get("gitops.treum.ai/healthy-revision")));
            List<String> seen = List.copyOf(log);
            assertThat(seen.indexOf("db-backup-presync complete " + second)).as("a fresh backup before the migration: %s", seen)
                    .isGreaterThanOrEqualTo(0).isLessThan(seen.indexOf("migrate running " + second));
            assertThat(seen.indexOf("migrate complete " + second)).as("%s", seen).isGreaterThanOrEqualTo(0)
                    .isLessThan(seen.indexOf("web registry.treum.ai/web:2.0"));
            assertThat(seen.indexOf("web registry.treum.ai/web:2.0")).as("%s", seen)
                    .isLessThan(seen.indexOf("smoke running " + second));
            assertThat(seen).contains("smoke complete " + second);
        }
    }

    @Test
    @Order(9)
    void aFailedPreSyncHookStopsTheSyncBeforeAnyWrite() throws Exception {
        FixtureRepo.commit(work, "hooked 3.0, migration fails", tree -> hooked(tree, "3.0", false, true));
        String failing = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> given().get("/api/v1/environments/hooked").then().extract()
                .jsonPath().getList("lastSync.errors", String.class), errors -> errors != null && errors.stream()
                        .anyMatch(e -> e.startsWith("Job/" + HOOKED + "/migrate: pre-sync hook failed: DeadlineExceeded")));
        assertThat(given().get("/api/v1/environments/hooked").then().extract().jsonPath().getString("revision"))
                .isEqualTo(failing);
        assertThat(image(HOOKED, "web")).isEqualTo("registry.treum.ai/web:2.0");
    }

    @Test
    @Order(10)
    void aFailedPostSyncSmokeTestRollsBack() throws Exception {
        String healthy = marks("hooked").get("gitops.treum.ai/healthy-revision");
        FixtureRepo.commit(work, "hooked 4.0, smoke test fails", tree -> hooked(tree, "4.0", true, false));
        String failing = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(marks("hooked")
                .get("gitops.treum.ai/rolled-back-revision")));
        assertThat(marks("hooked").get("gitops.treum.ai/rolled-back-reason"))
                .startsWith("post-sync hook Job/" + HOOKED + "/smoke failed: DeadlineExceeded");
        assertThat(marks("hooked")).containsEntry("gitops.treum.ai/healthy-revision", healthy);
        await().atMost(Duration.ofSeconds(60)).until(() -> "registry.treum.ai/web:2.0".equals(image(HOOKED, "web")));
    }

    @Test
    @Order(11)
    void productionsOwnAnalysisPassesARevisionWhoseServiceAnswersWell() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("sum(rate(api_requests_total{namespace=\""
                + GUIDED + "\"}[1m]))").size() == 1);
        FixtureRepo.commit(work, "guided 1.0", tree -> guided(tree, "1.0"));
        String first = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> first.equals(marks("guided").get("gitops.treum.ai/healthy-revision")));
        assertThat(marks("guided")).containsEntry("gitops.treum.ai/healthy-analysed", "true");
    }

    @Test
    @Order(12)
    void productionsOwnAnalysisRollsBackARevisionWhoseServiceAnswers5xx() throws Exception {
        GUIDED_ERRORS.set(10);
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("sum(rate(api_requests_total{namespace=\""
                + GUIDED + "\",status=~\"5..\"}[1m])) > 0.05").size() == 1);
        FixtureRepo.commit(work, "guided 2.0", tree -> guided(tree, "2.0"));
        String failing = FixtureRepo.head(work);
        await().atMost(Duration.ofSeconds(90)).until(() -> failing.equals(marks("guided")
                .get("gitops.treum.ai/rolled-back-revision")));
        assertThat(marks("guided").get("gitops.treum.ai/rolled-back-reason")).startsWith("analysis failed: error-rate: ")
                .contains(" > 0.05");
        await().atMost(Duration.ofSeconds(30)).until(() -> "registry.treum.ai/web:1.0".equals(image(GUIDED, "web")));
    }

    /**
     * The guide's application metrics of environment {@code guided} at one scrape: 100 more requests,
     * {@link #GUIDED_ERRORS} of them answered 500, every one within 100 ms.
     */
    private static String guidedMetrics() {
        long failed = GUIDED_FAILED.addAndGet(GUIDED_ERRORS.get());
        long ok = GUIDED_OK.addAndGet(100 - GUIDED_ERRORS.get());
        return GuideMetrics.of(GUIDED, ok, failed, 0.05);
    }

    /**
     * Environment {@code guided}: a rolling Deployment under production's own analysis block
     * (environments/production/environment.yaml: its checks, thresholds and failure limit), pointed
     * at the test's Prometheus and measured every second instead of every 30.
     */
    private static void guided(Path tree, String version) throws IOException {
        String production = Files.readString(PRODUCTION);
        String rollout = production.substring(production.indexOf("\n  rollout:\n") + 1)
                .replace("http://kube-prometheus-stack-prometheus.monitoring:9090", "http://127.0.0.1:" + prometheusPort)
                .replace("interval: 30s", "interval: 1s");
        assertThat(rollout).contains("http://127.0.0.1:", "interval: 1s");
        List<String> spec = new ArrayList<>(List.of("sync: {auto: true, interval: 10m}"));
        rollout.lines().map(line -> line.substring(Math.min(2, line.length()))).forEach(spec::add);
        StrategyRepoResource.write(FixtureRepo.environment(tree, "guided", GUIDED, spec.toArray(String[]::new)), GUIDED,
                "rolling", 1, version, true);
    }

    /**
     * Environment {@code hooked}: a rolling Deployment, a pre-sync migration Job and a post-sync
     * smoke-test Job; a Job that is not to succeed has pods that never start, and a deadline of 3 s.
     */
    private static void hooked(Path tree, String version, boolean migrationSucceeds, boolean smokeSucceeds)
            throws IOException {
        Path dir = FixtureRepo.environment(tree, "hooked", HOOKED, "sync: {auto: true, prune: true, interval: 10m}");
        StrategyRepoResource.write(dir, HOOKED, "rolling", 1, version, true);
        Files.writeString(dir.resolve("hooks.yaml"), job("migrate", "pre-sync", version, migrationSucceeds, "alembic upgrade head")
                + "---\n" + job("smoke", "post-sync", version, smokeSucceeds, "curl -fsS http://web/healthz"));
        // what the backup before the migration reads: a hook starts only once its Secrets exist
        Files.writeString(dir.resolve("db-secret.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                stringData:
                  url: postgresql://hooked@db.hooked:5432/hooked
                """);
        Path backups = Files.createDirectories(dir.getParent().resolve("backups"));
        Files.writeString(backups.resolve("db.yaml"), """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata:
                  name: db
                spec:
                  database: hooked
                  schedule: "0 2 * * *"
                  destination: s3://hooked-backups/db/
                  retention: 7d
                  maxAge: 26h
                  databaseSecret: {name: db, key: url}
                """);
    }

    private static String job(String name, String hook, String version, boolean succeeds, String command) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %s
                  annotations: {gitops.treum.ai/hook: %s}
                spec:
                  backoffLimit: 0
                  activeDeadlineSeconds: %d
                  template:
                    metadata:
                      labels: {app: %s%s}
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: %s
                          image: registry.treum.ai/web:%s
                          command: ["sh", "-c", "%s"]
                """.formatted(name, hook, succeeds ? 60 : 3, name, succeeds ? "" : ", kwok.treum.ai/never-ready: \"true\"",
                name, version, command);
    }

    /** Environment {@code analysed}: a rolling Deployment, promoted only while {@code web_error_rate} stays at most 0.05. */
    private static void analysed(Path tree, String version) throws IOException {
        StrategyRepoResource.write(FixtureRepo.environment(tree, "analysed", ANALYSED, "sync: {auto: true, interval: 10m}",
                "rollout:", "  analysis:", "    prometheus: http://127.0.0.1:" + prometheusPort, "    interval: 1s",
                "    measurements: 2", "    checks:", "      - {name: error-rate, query: max(web_error_rate), max: 0.05}"),
                ANALYSED, "rolling", 1, version, true);
    }

    private static Watch watchDeployments(String namespace, BiConsumer<Watcher.Action, Deployment> each) {
        return client.apps().deployments().inNamespace(namespace).watch(new Recorder<>(each));
    }

    /** Hands every watch event to a consumer; the watch is closed by the test. */
    private record Recorder<T>(BiConsumer<Watcher.Action, T> each) implements Watcher<T> {

        @Override
        public void eventReceived(Action action, T resource) {
            each.accept(action, resource);
        }

        @Override
        public void onClose(WatcherException cause) {
            // closed by the test
        }
    }

    private static Map<String, String> marks(String env) {
        return InventoryMarks.of(client, env);
    }

    private static Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static String image(String namespace, String name) {
        Deployment deployment = deployment(namespace, name);
        return deployment == null ? null : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Map<String, String> selector(String namespace) {
        Service service = client.services().inNamespace(namespace).withName("web").get();
        return service.getSpec().getSelector();
    }

    /** How many measurements of a paused analysis went unanswered, from the status's phase. */
    private static int unanswered(String phase) {
        Matcher matcher = Pattern.compile("(\\d+) unanswered").matcher(phase);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
