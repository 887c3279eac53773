package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.core.rollout.RolloutRenderer;
import ai.treum.gitops.core.rollout.RolloutState;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.Renderers;
import ai.treum.gitops.peers.TestNamespace;
import ai.treum.gitops.peers.Writes;
import ai.treum.gitops.reconcile.EnvironmentSync;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.SyncObserver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} lists exactly what the sync then writes and deletes: a revision is synced and
 * marked healthy, the next one is planned from a Git checkout and synced as the daemon syncs it
 * (a blue-green Deployment mid-rollout, a pre-sync hook Job, a prune), and what the API server
 * then holds is compared with the plan, object by object.
 */
@QuarkusMainTest
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class PlanFidelityTest {

    private static final String HOOK = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations: {gitops.treum.ai/hook: pre-sync}
            spec:
              backoffLimit: 0
              activeDeadlineSeconds: 60
              template:
                metadata: {labels: {app: migrate}}
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: "registry.treum.ai/web:%s", command: [sh, -c, "true"]}]
            ---
            """;

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {gitops.treum.ai/strategy: blue-green}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "registry.treum.ai/web:%s"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            """;

    @Test
    void thePlanListsExactlyTheWritesAndDeletesOfTheSync(QuarkusMainLauncher launcher, KubernetesClient client,
            TestNamespace ns, @TempDir Path dir) throws Exception {
        String env = "fidelity-" + ns.name().substring(ns.name().length() - 6);
        ConfigMapInventoryStore inventory = new ConfigMapInventoryStore(client, "treum-gitops");
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        EnvironmentSync sync = new EnvironmentSync(cluster, cluster, inventory, SyncObserver.NONE, 4);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            PlanCommandTest.write(dir, env, ns, HOOK.formatted("1.0") + WEB.formatted("1.0") + """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: settings}
                    data: {MODE: blue}
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: retiring}
                    data: {OLD: "true"}
                    """);
            String first = commit(git, "first");
            EnvironmentRevision v1 = EnvironmentFolder.read(env, dir.resolve(env), Boundary.of("treum-gitops"), Renderers.processes());
            assertThat(sync.sync(v1.environment(), first, render(v1, first, Optional.empty(), inventory, env)).outcome())
                    .isEqualTo(SyncResult.Outcome.SYNCED);
            // as the daemon marks a revision once it is healthy: the next one rolls out against it
            inventory.mark(env, Map.of(RolloutGuard.HEALTHY, first));

            PlanCommandTest.write(dir, env, ns, HOOK.formatted("1.1") + WEB.formatted("1.1") + """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: settings}
                    data: {MODE: green}
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: added}
                    data: {NEW: "true"}
                    """);
            String second = commit(git, "second");

            LaunchResult plan = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                    LocalPeers.get().kubeconfig().toString(), "-o", "json");
            assertThat(plan.exitCode()).withFailMessage(plan.getOutput() + plan.getErrorOutput()).isEqualTo(1);
            JsonNode report = new ObjectMapper().readTree(plan.getOutput().substring(plan.getOutput().indexOf("\n{") + 1));
            Set<String> planned = new HashSet<>();
            Set<String> prunes = new HashSet<>();
            for (JsonNode entry : report.path("objects")) {
                switch (entry.path("action").asText()) {
                    case "add", "change", "run" -> planned.add(entry.path("object").asText());
                    case "prune" -> prunes.add(entry.path("object").asText());
                    default -> { }
                }
            }

            Map<String, String> before = fingerprints(client, ns.name());
            EnvironmentRevision v2 = EnvironmentFolder.read(env, dir.resolve(env), Boundary.of("treum-gitops"), Renderers.processes());
            SyncResult synced = sync.sync(v2.environment(), second,
                    render(v2, second, Optional.of(v1.kubernetes()), inventory, env));
            assertThat(synced.outcome()).withFailMessage(synced.toString()).isEqualTo(SyncResult.Outcome.SYNCED);
            Map<String, String> after = fingerprints(client, ns.name());

            Set<String> written = new HashSet<>();
            after.forEach((object, print) -> {
                if (!print.equals(before.get(object))) {
                    written.add(object);
                }
            });
            Set<String> deleted = new HashSet<>(before.keySet());
            deleted.removeAll(after.keySet());
            String n = ns.name();
            assertThat(planned).as("what the plan says the sync writes, and what the API server then held")
                    .containsExactlyInAnyOrderElementsOf(written)
                    .contains("Deployment/" + n + "/web-green", "ConfigMap/" + n + "/settings", "ConfigMap/" + n + "/added",
                            "Job/" + n + "/migrate")
                    .doesNotContain("Deployment/" + n + "/web-blue", "Service/" + n + "/web");
            assertThat(prunes).containsExactlyInAnyOrderElementsOf(deleted).containsExactly("ConfigMap/" + n + "/retiring");

            // rolled back, as RolloutGuard marks it: the sync applies the first revision while Git says the second
            inventory.mark(env, Map.of(RolloutGuard.ROLLED_BACK, second, RolloutGuard.HEALTHY, first));
            LaunchResult back = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                    LocalPeers.get().kubeconfig().toString());
            assertThat(back.getOutput()).withFailMessage(back.getOutput() + back.getErrorOutput()).contains(
                    "# revision " + second.substring(0, 12) + " was rolled back; until Git moves on the sync applies the "
                            + "healthy revision " + first.substring(0, 12) + ", planned here",
                    "~ ConfigMap/" + n + "/settings", "+  MODE: \"blue\"", "+ ConfigMap/" + n + "/retiring (new)");
        }
    }

    /** As the daemon renders a revision (Rollouts): against the healthy revision's objects and the rollout marks. */
    private static Rendered render(EnvironmentRevision read, String revision, Optional<List<DesiredResource>> stable,
            ConfigMapInventoryStore inventory, String env) {
        return RolloutRenderer.render(read.environment().rollout(), revision, read.kubernetes(), stable,
                RolloutState.of(inventory.marks(env)));
    }

    /**
     * What changes on an object only when it is written: its uid (a re-created Job), and for
     * workloads, whose status controllers keep writing, the generation and the daemon's own
     * managed-fields entry; for the rest, the resourceVersion.
     */
    private static Map<String, String> fingerprints(KubernetesClient client, String namespace) {
        Map<String, String> prints = new TreeMap<>();
        Stream.of(client.configMaps().inNamespace(namespace).list().getItems(),
                client.services().inNamespace(namespace).list().getItems())
                .flatMap(List::stream).forEach(o -> prints.put(key(o), o.getMetadata().getUid() + " "
                        + o.getMetadata().getResourceVersion()));
        Stream.of(client.apps().deployments().inNamespace(namespace).list().getItems(),
                client.batch().v1().jobs().inNamespace(namespace).list().getItems())
                .flatMap(List::stream).forEach(o -> prints.put(key(o), o.getMetadata().getUid() + " "
                        + Writes.byTheDaemon(o)));
        return prints;
    }

    private static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage(message).setAuthor("plan", "plan@treum.ai").setCommitter("plan", "plan@treum.ai")
                .setSign(false).call().name();
    }
}
