package ai.treum.gitops.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.treum.gitops.core.health.HealthChecks;
import ai.treum.gitops.core.health.HealthStatus;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test cluster runs workloads: kube-controller-manager creates ReplicaSets and Pods, the
 * scheduler places them on the kwok node, and kwok makes them run and become ready, so a
 * Deployment really rolls out and a Job really completes, as the health checks see them; and a
 * pod labelled {@code kwok.treum.ai/never-ready} never gets ready, so a rollout can stall.
 */
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class WorkloadClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** kwok leaves pods with this label pending (scripts/test-peers.sh, build_kwok). */
    static final String NEVER_READY = "kwok.treum.ai/never-ready";

    @Test
    void aDeploymentRollsOutAndARollingUpdateCompletes(KubernetesClient client, TestNamespace ns) {
        client.apps().deployments().inNamespace(ns.name()).resource(deployment(ns.name(), "registry.treum.ai/web:1.0")).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> health(client, ns, "web") == HealthStatus.HEALTHY);
        assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems()).hasSize(3)
                .allSatisfy(p -> {
                    assertThat(p.getSpec().getNodeName()).isEqualTo("kwok-node-0");
                    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                });

        client.apps().deployments().inNamespace(ns.name()).resource(deployment(ns.name(), "registry.treum.ai/web:1.1")).update();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Deployment live = client.apps().deployments().inNamespace(ns.name()).withName("web").get();
            return live.getStatus().getUpdatedReplicas() != null && live.getStatus().getUpdatedReplicas() == 3
                    && health(client, ns, "web") == HealthStatus.HEALTHY;
        });
        assertThat(client.apps().replicaSets().inNamespace(ns.name()).withLabel("app", "web").list().getItems())
                .hasSize(2).anySatisfy(rs -> assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(3))
                .anySatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
    }

    @Test
    void aVersionWhosePodsNeverBecomeReadyStallsAndIsDegradedAtItsDeadline(KubernetesClient client, TestNamespace ns) {
        Deployment stalling = new DeploymentBuilder(deployment(ns.name(), "registry.treum.ai/web:2.0")).editMetadata()
                .withName("stalling").endMetadata().editSpec().withProgressDeadlineSeconds(3).editSelector()
                .addToMatchLabels("app", "stalling").endSelector().editTemplate().editMetadata()
                .addToLabels("app", "stalling").addToLabels(NEVER_READY, "true").endMetadata().endTemplate().endSpec().build();
        client.apps().deployments().inNamespace(ns.name()).resource(stalling).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> health(client, ns, "stalling") == HealthStatus.DEGRADED);
        assertThat(client.pods().inNamespace(ns.name()).withLabel(NEVER_READY).list().getItems()).hasSize(3)
                .allSatisfy(p -> assertThat(p.getStatus().getConditions()).noneMatch(c -> c.getType().equals("Ready")
                        && c.getStatus().equals("True")));
    }

    @Test
    void aJobCompletes(KubernetesClient client, TestNamespace ns) {
        Job job = new JobBuilder().withNewMetadata().withName("migrate").withNamespace(ns.name()).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("migrate")
                .withImage("registry.treum.ai/api:1.0").endContainer().endSpec().endTemplate().endSpec().build();
        client.batch().v1().jobs().inNamespace(ns.name()).resource(job).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> HealthChecks.assess(
                new ResourceKey("batch", "Job", ns.name(), "migrate"),
                Optional.ofNullable(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get())
                        .map(WorkloadClusterTest::json)).status() == HealthStatus.HEALTHY);
    }

    private static HealthStatus health(KubernetesClient client, TestNamespace ns, String name) {
        return HealthChecks.assess(new ResourceKey("apps", "Deployment", ns.name(), name),
                Optional.ofNullable(client.apps().deployments().inNamespace(ns.name()).withName(name).get())
                        .map(WorkloadClusterTest::json)).status();
    }

    private static Deployment deployment(String namespace, String image) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static ObjectNode json(HasMetadata object) {
        return JSON.valueToTree(object);
    }
}
