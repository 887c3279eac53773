package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.aws.AwsClients;
import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.render.Rendering;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.model.SyncResult;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.TestNamespace;
import ai.treum.gitops.reconcile.EnvironmentSync;
import ai.treum.gitops.reconcile.SyncObserver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} against the real kube-apiserver and moto_server: additions, changes, prunes and AWS
 * drift, and never a secret value.
 */
@QuarkusMainTest
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class PlanCommandTest {

    @Test
    void showsAdditionsChangesAndPrunesAndNoSecretValue(QuarkusMainLauncher launcher, KubernetesClient client,
            TestNamespace ns, @TempDir Path dir) throws Exception {
        String env = "planned-" + ns.name().substring(ns.name().length() - 6);
        write(dir, env, ns, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {MODE: blue}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: retired}
                data: {OLD: "true"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: credentials}
                stringData: {password: first-secret-4a1b}
                """);
        EnvironmentRevision v1 = EnvironmentFolder.read(env, dir.resolve(env), Boundary.of("treum-gitops"), source -> Rendering.failed("plain manifests only"));
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        SyncResult synced = new EnvironmentSync(cluster, cluster, new ConfigMapInventoryStore(client, "treum-gitops"),
                SyncObserver.NONE, 4).sync(v1.environment(), "v1", Rendered.plain(v1.kubernetes()));
        assertThat(synced.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
        // as an earlier kubectl apply leaves it: the whole Secret, its value too, in an annotation
        client.secrets().inNamespace(ns.name()).withName("credentials").edit(s -> new SecretBuilder(s).editMetadata()
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration",
                        "{\"kind\":\"Secret\",\"stringData\":{\"password\":\"first-secret-4a1b\"}}").endMetadata().build());

        write(dir, env, ns, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {MODE: green}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: added}
                data: {NEW: "true"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: credentials}
                stringData: {password: second-secret-9c2d}
                """);
        LaunchResult plan = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                LocalPeers.get().kubeconfig().toString());

        assertThat(plan.exitCode()).withFailMessage(plan.getOutput() + plan.getErrorOutput()).isEqualTo(1);
        String out = plan.getOutput();
        assertThat(out).contains("~ ConfigMap/" + ns.name() + "/settings", "-  MODE: \"blue\"", "+  MODE: \"green\"",
                "+ ConfigMap/" + ns.name() + "/added (new)",
                "- ConfigMap/" + ns.name() + "/retired (would be pruned)",
                "~ Secret/" + ns.name() + "/credentials", "(Secret values differ; values are never shown)",
                "plan for " + env + ": 1 to add, 2 to change, 1 to prune, 0 failed");
        LaunchResult json = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                LocalPeers.get().kubeconfig().toString(), "-o", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        // the test launcher hands log lines over with stdout; the command itself logs to stderr
        String document = json.getOutput().substring(json.getOutput().indexOf("\n{") + 1);
        JsonNode report = new ObjectMapper().readTree(document);
        assertThat(report.path("summary").toString()).isEqualTo("{\"add\":1,\"change\":2,\"prune\":1,\"run\":0,\"aws\":0,\"failed\":0}");
        assertThat(report.path("objects").findValuesAsText("action")).containsExactlyInAnyOrder("change", "add",
                "change", "prune");
        assertThat(report.path("objects").toString()).contains("\"object\":\"ConfigMap/" + ns.name() + "/retired\"",
                "\"note\":\"Secret values differ; values are never shown\"", "+  MODE: \\\"green\\\"")
                .doesNotContain("second-secret-9c2d").doesNotContain("c2Vjb25kLXNlY3JldC05YzJk");
        assertThat(out).doesNotContain("first-secret-4a1b").doesNotContain("second-secret-9c2d")
                .doesNotContain("Zmlyc3Qtc2VjcmV0LTRhMWI=").doesNotContain("c2Vjb25kLXNlY3JldC05YzJk");
        assertThat(client.configMaps().inNamespace(ns.name()).withName("settings").get().getData())
                .withFailMessage("plan is read-only").containsEntry("MODE", "blue");
        assertThat(client.configMaps().inNamespace(ns.name()).withName("added").get()).isNull();
    }

    @Test
    void objectsInANamespaceTheSyncWouldCreateAreShownAsGitDeclaresThem(QuarkusMainLauncher launcher, TestNamespace ns,
            @TempDir Path dir) throws Exception {
        String env = "fresh-" + ns.name().substring(ns.name().length() - 6);
        write(dir, env, new TestNamespace(env), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {MODE: blue}
                """.formatted(env));

        LaunchResult plan = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                LocalPeers.get().kubeconfig().toString());

        assertThat(plan.exitCode()).withFailMessage(plan.getOutput() + plan.getErrorOutput()).isEqualTo(1);
        assertThat(plan.getOutput()).contains("+ Namespace/" + env + " (new)",
                "+ ConfigMap/" + env + "/settings (new, in a namespace this sync creates; as Git declares it)",
                "plan for " + env + ": 2 to add, 0 to change, 0 to prune, 0 failed");
    }

    @Test
    void awsResourcesArePlannedAsTheAwsCheckComparesThem(QuarkusMainLauncher launcher, TestNamespace ns,
            @TempDir Path dir) throws Exception {
        String env = "aws-" + ns.name().substring(ns.name().length() - 6);
        String db = "plan-" + env;
        try (AwsClients aws = new AwsClients(Optional.of("eu-west-1"), Optional.of(LocalPeers.get().motoUrl()));
                var rds = aws.rds("eu-west-1")) {
            rds.createDBInstance(c -> c.dbInstanceIdentifier(db).engine("postgres").dbInstanceClass("db.t3.xlarge")
                    .allocatedStorage(100).masterUsername("treum").masterUserPassword("not-a-real-password"));
        }
        for (String mode : new String[] {"enforce", "observe"}) {
            write(dir, env, ns, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-settings}\ndata: {MODE: blue}\n");
            Files.writeString(dir.resolve(env).resolve("environment.yaml"), Files.readString(dir.resolve(env)
                    .resolve("environment.yaml")) + "  aws: {mode: " + mode + "}\n");
            Files.createDirectories(dir.resolve(env).resolve("aws"));
            Files.writeString(dir.resolve(env).resolve("aws/rds.yaml"), """
                    apiVersion: gitops.treum.ai/v1alpha1
                    kind: RdsInstance
                    metadata: {name: %s}
                    spec: {engine: postgres, instanceClass: db.t3.large, allocatedStorage: 100}
                    """.formatted(db));

            // the command's AWS is this JVM's moto_server, as a daemon's is its configured endpoint
            System.setProperty("treum-gitops.aws.endpoint-override", LocalPeers.get().motoUrl().toString());
            LaunchResult plan;
            try {
                plan = launcher.launch("plan", "--env", env, "--dir", dir.toString(), "--kubeconfig",
                        LocalPeers.get().kubeconfig().toString());
            } finally {
                System.clearProperty("treum-gitops.aws.endpoint-override");
            }

            assertThat(plan.getOutput()).withFailMessage(plan.getOutput() + plan.getErrorOutput()).contains(
                    "AWS RdsInstance/" + db + ": " + (mode.equals("enforce") ? "would be changed (spec.aws.mode: enforce)"
                            : "reported only (spec.aws.mode: observe)"), "spec.instanceClass: db.t3.xlarge -> db.t3.large");
            if (mode.equals("enforce")) {
                assertThat(plan.getOutput()).contains("1 AWS change(s)");
            }
        }
    }

    /** An environment of {@code manifests} in {@code ns}, pruning with no share limit, in {@code dir/env}. */
    static void write(Path dir, String env, TestNamespace ns, String manifests) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(env).resolve("kubernetes"));
        Files.writeString(dir.resolve(env).resolve("environment.yaml"), """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec:
                  namespace: %s
                  sync: {prune: true, maxPrunePercent: 100}
                """.formatted(env, ns.name()));
        Files.writeString(folder.resolve("objects.yaml"), manifests);
    }
}
