package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.peers.FixtureRepo;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one environment's Git may declare, checked when the revision is read: anything outside its
 * namespaces, the cluster-scoped kinds it lists, the system's and the daemon's namespaces, or
 * labelled as another environment's rejects the whole revision, naming file, line and rule.
 */
@Tag("peer")
class EnvironmentScopeTest {

    private static final String ENVIRONMENT = FixtureRepo.environmentYaml("staging", "treum-staging",
            "namespaces: [treum-staging, treum-staging-jobs]", "clusterScoped: [rbac.authorization.k8s.io/ClusterRole]");

    private static EnvironmentRevision read(String manifests) {
        return read(manifests, Boundary.of("treum-gitops"));
    }

    private static EnvironmentRevision read(String manifests, Boundary boundary) {
        return EnvironmentRevision.read("staging", "environments/staging", List.of(
                new SourceFile("environments/staging/environment.yaml", ENVIRONMENT),
                new SourceFile("environments/staging/kubernetes/objects.yaml", manifests)), boundary);
    }

    private static void assertRejected(String manifests, String expected) {
        EnvironmentRevision read = read(manifests);
        assertThat(read.valid()).withFailMessage("a revision with %s must be rejected", expected).isFalse();
        assertThat(read.kubernetes()).withFailMessage("a rejected revision yields nothing to apply").isEmpty();
        assertThat(read.errors()).hasSize(1).first().asString().startsWith("environments/staging/kubernetes/objects.yaml:")
                .contains(expected);
    }

    @Test
    void anotherEnvironmentsInventoryInTheDaemonsNamespaceIsRejected() {
        assertRejected("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: treum-gitops-inventory-production
                  namespace: treum-gitops
                data:
                  entries: ""
                """, "objects.yaml:1: reserved-namespace: ConfigMap/treum-gitops/treum-gitops-inventory-production");
    }

    @Test
    void aLeaseInTheDaemonsNamespaceIsRejected() {
        assertRejected("""
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata:
                  name: treum-gitops-shard-0
                  namespace: treum-gitops
                """, "reserved-namespace: Lease/treum-gitops/treum-gitops-shard-0");
    }

    @Test
    void aServiceAccountTokenSecretIsRejectedInKubeSystemAndInTheEnvironmentsOwnNamespace() {
        assertRejected("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: admin-token
                  namespace: kube-system
                  annotations: {kubernetes.io/service-account.name: admin}
                type: kubernetes.io/service-account-token
                """, "reserved-namespace: Secret/kube-system/admin-token");
        assertRejected("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: api-token
                  annotations: {kubernetes.io/service-account.name: treum-api}
                type: kubernetes.io/service-account-token
                """, "service-account-token: Secret/treum-staging/api-token");
    }

    @Test
    void anObjectInANamespaceTheEnvironmentDoesNotDeclareIsRejected() {
        assertRejected("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: treum-production
                """, "namespace-boundary: ConfigMap/treum-production/settings");
        assertRejected("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: treum-production
                """, "namespace-boundary: Namespace/treum-production");
    }

    @Test
    void aClusterScopedKindNeedsItsPlaceInTheAllowList() {
        assertRejected("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: make-me-admin
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects: [{kind: ServiceAccount, name: treum-api, namespace: treum-staging}]
                """, "cluster-scoped-boundary: ClusterRoleBinding/make-me-admin");
    }

    @Test
    void anObjectLabelledAsAnotherEnvironmentsIsRejected() {
        assertRejected("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  labels: {gitops.treum.ai/environment: production}
                """, "other-environment: ConfigMap/treum-staging/settings");
    }

    @Test
    void everythingInsideTheBoundaryLoads() {
        EnvironmentRevision read = read("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: treum-staging-jobs
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: treum-staging-jobs
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: treum-staging-reader
                rules: []
                """);
        assertThat(read.errors()).isEmpty();
        assertThat(read.environment().scope().namespaces()).containsExactlyInAnyOrder("treum-staging", "treum-staging-jobs");
    }

    @Test
    void theDaemonsOwnNamespaceCannotBeDeclaredAsTheEnvironmentsEither() {
        EnvironmentRevision read = EnvironmentRevision.read("staging", "environments/staging", List.of(
                new SourceFile("environments/staging/environment.yaml", ENVIRONMENT.replace("treum-staging-jobs",
                        "treum-gitops")),
                new SourceFile("environments/staging/kubernetes/objects.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: shard-requests
                          namespace: treum-gitops
                        """)), Boundary.of("treum-gitops"));
        assertThat(read.errors()).singleElement().asString().contains("reserved-namespace");
    }

    @Test
    void theDaemonsConfigurationGrantsAnEnvironmentTheObjectsItNamesAndNothingBeside() {
        String manifests = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: metrics-server-auth-reader, namespace: kube-system}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: planted, namespace: kube-system}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
                """;
        String grant = ":RoleBinding/kube-system/metrics-server-auth-reader";

        assertThat(read(manifests, Boundary.parse("treum-gitops", List.of("staging" + grant))).errors()).containsExactly(
                "environments/staging/kubernetes/objects.yaml:6: reserved-namespace: RoleBinding/kube-system/planted: "
                        + "kube-system belongs to the cluster; no environment writes there");
        assertThat(read(manifests, Boundary.parse("treum-gitops", List.of("production" + grant))).errors())
                .as("granted to another environment").hasSize(2);
    }

    @Test
    void aGrantOfAnotherShapeOrInTheDaemonsNamespaceIsRefusedAtStart() {
        assertThatThrownBy(() -> Boundary.parse("treum-gitops", List.of("RoleBinding/kube-system/reader")))
                .hasMessage("treum-gitops.boundary-grants: 'RoleBinding/kube-system/reader' is not "
                        + "environment:Kind/namespace/name or environment:Kind/name");
        assertThatThrownBy(() -> Boundary.parse("treum-gitops", List.of("staging:ConfigMap/treum-gitops/shard-requests")))
                .hasMessageContaining("no grant opens it");
        assertThatThrownBy(() -> Boundary.parse("treum-gitops", List.of("staging:Namespace/treum-gitops")))
                .hasMessageContaining("no grant opens it");
    }
}
