package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.peers.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hook Job starts only once the Secrets its pods read exist: on a fresh cluster the External
 * Secrets Operator makes them after the sync applied their ExternalSecrets, and a Job started
 * before would have pods that cannot start. Against the real kube-apiserver.
 */
@Tag("peer")
class HookSecretsTest extends ClusterSyncTest {

    HookSecretsTest(KubernetesClient client, TestNamespace ns) {
        super(client, ns);
    }

    @Test
    void aHookWaitsForTheSecretsItReadsAndStartsOnceTheyExist() {
        HookJobs hooks = new HookJobs(cluster, cluster);
        DesiredResource migrate = Hook.forRevision(load("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      imagePullSecrets: [{name: registry}]
                      containers:
                        - name: migrate
                          image: registry.treum.ai/treum/api:1.0.0
                          envFrom: [{secretRef: {name: api-secrets}}]
                          env:
                            - name: OPTIONAL
                              valueFrom: {secretKeyRef: {name: not-there, key: x, optional: true}}
                """).get(0), "rev1");

        Hook.Run waiting = hooks.poll(env, migrate);
        assertThat(waiting).isEqualTo(new Hook.Running("waiting for Secret api-secrets (envFrom of container migrate), "
                + "Secret registry (imagePullSecrets)"));
        assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get()).isNull();
        assertThat(hooks.await(env, migrate, Duration.ofSeconds(1))).isEqualTo(new Hook.Failed("not finished after 1 s ("
                + "waiting for Secret api-secrets (envFrom of container migrate), Secret registry (imagePullSecrets))"));

        for (String name : new String[] {"registry", "api-secrets"}) {
            client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName(name)
                    .endMetadata().addToStringData("made-by", "an operator").build()).create();
        }
        assertThat(hooks.poll(env, migrate)).isEqualTo(new Hook.Running("started"));
        assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName("migrate").get()).isNotNull();
    }
}
