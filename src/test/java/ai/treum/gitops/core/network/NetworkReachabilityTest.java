package ai.treum.gitops.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NetworkPolicy selection for every pod template against what each declares it needs: the bundled
 * environments reach everything they need, and each way of getting a policy wrong is found with
 * the workload's file and line. kwok enforces no NetworkPolicy, so this is the test of the paths.
 */
class NetworkReachabilityTest {

    @Test
    @Tag("peer")
    void theBundledEnvironmentsReachEverythingTheirWorkloadsNeed() {
        for (String env : List.of("production", "staging")) {
            EnvironmentRevision revision = BundledPolicies.environment(env);
            assertThat(revision.errors()).isEmpty();
            assertThat(revision.kubernetes()).filteredOn(o -> o.key().kind().equals("CronJob")).as(env).hasSize(2);
            assertThat(NetworkReachability.check(revision.kubernetes())).as(env).isEmpty();
        }
    }

    @Test
    @Tag("peer")
    void aRevisionThatCutsADeclaredPathIsRefusedWholeAsTheDaemonReadsIt() {
        EnvironmentRevision revision = BundledPolicies.environment("production", files -> files.stream()
                .map(f -> f.path().endsWith("50-network.yaml") ? new SourceFile(f.path(),
                        f.content().substring(0, f.content().indexOf("# The migration hook and the backup"))) : f)
                .toList());
        assertThat(revision.valid()).isFalse();
        assertThat(revision.errors()).contains("environments/base/kubernetes/29-migrate.yaml:4: network-unreachable: "
                + "Job/treum-production/treum-api-migrate needs postgres, but no egress rule of the NetworkPolicies that "
                + "select its pods (default-deny) allows TCP 5432 to outside the cluster");
        assertThat(revision.errors()).anySatisfy(e -> assertThat(e).startsWith("environments/production/backups/postgres.yaml:2: "
                + "network-unreachable: CronJob/treum-production/treum-production-postgres-restore-drill needs https"));
    }

    private static final String DEFAULT_DENY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny}
            spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
            ---
            """;

    private static String worker(String needs) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: worker
                  annotations: {gitops.treum.ai/needs: "%s"}
                spec:
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                        - {name: w, image: registry.treum.ai/w:1, ports: [{name: http, containerPort: 8000}]}
                ---
                """.formatted(needs);
    }

    @Test
    void podsNoPolicySelectsReachEverything() {
        assertThat(check(worker("dns,postgres,redis,https,scrape"))).isEmpty();
    }

    @Test
    void underDefaultDenyEachNeedIsFoundWithTheWorkloadsFileAndLine() {
        assertThat(check(DEFAULT_DENY + worker("dns,postgres,scrape"))).extracting(LoadError::toString).containsExactly(
                "k/net.yaml:6: network-unreachable: Job/shop/worker needs dns, but no egress rule of the NetworkPolicies "
                        + "that select its pods (default-deny) allows UDP 53 to the cluster's DNS in kube-system",
                "k/net.yaml:6: network-unreachable: Job/shop/worker needs postgres, but no egress rule of the NetworkPolicies "
                        + "that select its pods (default-deny) allows TCP 5432 to outside the cluster",
                "k/net.yaml:6: network-unreachable: Job/shop/worker needs scrape, but no ingress rule of the NetworkPolicies "
                        + "that select the receiving pods (default-deny) allows from Prometheus in monitoring on TCP 8000");
    }

    @Test
    void peersPortsAndProtocolsAreMatchedAsTheApiServerDoes() {
        String policies = DEFAULT_DENY + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: worker}
                spec:
                  podSelector: {matchLabels: {app: worker}}
                  policyTypes: [Ingress, Egress]
                  egress:
                    # DNS over TCP only, and to pods of this namespace only: neither is the cluster's DNS over UDP
                    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                      ports: [{protocol: TCP, port: 53}]
                    - to: [{podSelector: {}}]
                      ports: [{port: 5432}]
                    # an IP block is outside the cluster; a range covers 6379
                    - to: [{ipBlock: {cidr: 10.0.0.0/16}}]
                      ports: [{port: 6000, endPort: 7000}]
                  ingress:
                    # a named port is the receiving pod's own
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                      ports: [{port: http}]
                ---
                """;
        assertThat(check(policies + worker("dns,postgres,redis,scrape"))).extracting(LoadError::message).containsExactly(
                "Job/shop/worker needs dns, but no egress rule of the NetworkPolicies that select its pods (default-deny, "
                        + "worker) allows UDP 53 to the cluster's DNS in kube-system",
                "Job/shop/worker needs postgres, but no egress rule of the NetworkPolicies that select its pods "
                        + "(default-deny, worker) allows TCP 5432 to outside the cluster");
    }

    @Test
    void aServiceNeedMustBeAllowedOutOfTheCallerAndIntoThePodsBehindTheService() {
        String api = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers: [{name: api, image: registry.treum.ai/api:1, ports: [{name: http, containerPort: 8000}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  selector: {app: api}
                  ports: [{port: 80, targetPort: http}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: api}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: gateway}}}]
                      ports: [{port: 8000}]
                ---
                """;
        assertThat(check(api + worker("service:api"))).extracting(LoadError::message).containsExactly(
                "Job/shop/worker needs service:api, but no ingress rule of the NetworkPolicies that select the receiving "
                        + "pods (api) allows TCP 8000 of Deployment/shop/api from these pods");
        assertThat(check(api.replace("app: gateway", "app: worker") + worker("service:api"))).isEmpty();
        assertThat(check(worker("service:billing"))).extracting(LoadError::message)
                .containsExactly("Job/shop/worker needs service:billing, but the revision declares no Service billing in "
                        + "its namespace");
    }

    @Test
    void aPolicyOfAnotherNamespaceDoesNotSelectAndAnUnknownNeedIsSaidSo() {
        assertThat(check(DEFAULT_DENY.replace("name: default-deny}", "name: default-deny, namespace: other}")
                + worker("postgres"))).isEmpty();
        assertThat(check(worker("ldap"))).extracting(LoadError::message).containsExactly("Job/shop/worker needs ldap, "
                + "which is not a need this check knows: dns, https, postgres, redis, scrape or service:NAME");
    }

    private static List<LoadError> check(String yaml) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("k/net.yaml", yaml)), "shop");
        assertThat(loaded).isInstanceOf(LoadResult.Loaded.class);
        List<DesiredResource> objects = ((LoadResult.Loaded) loaded).resources();
        return NetworkReachability.check(objects);
    }
}
