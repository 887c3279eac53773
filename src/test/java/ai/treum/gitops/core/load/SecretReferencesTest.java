package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every Secret a pod reads is one the revision declares or produces, or validate says which and where. */
class SecretReferencesTest {

    private static final String WORKER = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: worker}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  imagePullSecrets: [{name: registry}]
                  containers:
                    - name: work
                      image: registry.treum.ai/w:1
                      env:
                        - {name: DATABASE_URL, valueFrom: {secretKeyRef: {name: db, key: url}}}
                        - {name: FEATURE, valueFrom: {secretKeyRef: {name: flags, key: x, optional: true}}}
                      envFrom: [{secretRef: {name: api-keys}}]
                  volumes:
                    - {name: tls, secret: {secretName: api-tls}}
            ---
            """;

    @Test
    void aSecretNothingDeclaresOrProducesIsFoundWithWhereItIsRead() {
        assertThat(check(WORKER)).extracting(LoadError::toString).containsExactly(
                "k/s.yaml:1: secret-unresolved: Job/shop/worker reads Secret db (env DATABASE_URL of container work), which "
                        + "nothing in the revision declares or produces (a Secret, an ExternalSecret's target, a "
                        + "Certificate): on a fresh cluster its pods would not start",
                "k/s.yaml:1: secret-unresolved: Job/shop/worker reads Secret api-keys (envFrom of container work), which "
                        + "nothing in the revision declares or produces (a Secret, an ExternalSecret's target, a "
                        + "Certificate): on a fresh cluster its pods would not start",
                "k/s.yaml:1: secret-unresolved: Job/shop/worker reads Secret api-tls (volume tls), which nothing in the "
                        + "revision declares or produces (a Secret, an ExternalSecret's target, a Certificate): on a fresh "
                        + "cluster its pods would not start",
                "k/s.yaml:1: secret-unresolved: Job/shop/worker reads Secret registry (imagePullSecrets), which nothing in "
                        + "the revision declares or produces (a Secret, an ExternalSecret's target, a Certificate): on a "
                        + "fresh cluster its pods would not start");
    }

    @Test
    void secretsExternalSecretsCertificatesAndIssuedIngressesProduceThem() {
        String producers = """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {url: postgres://db}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: keys}
                spec:
                  secretStoreRef: {name: aws, kind: SecretStore}
                  target: {name: api-keys}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: registry}
                spec:
                  secretStoreRef: {name: aws, kind: SecretStore}
                ---
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: api}
                spec: {secretName: api-tls, issuerRef: {name: letsencrypt, kind: ClusterIssuer}, dnsNames: [api.treum.ai]}
                """;
        assertThat(check(WORKER + producers)).isEmpty();
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: api
                  annotations: {cert-manager.io/cluster-issuer: letsencrypt}
                spec:
                  tls: [{hosts: [api.treum.ai], secretName: api-tls}]
                  rules: [{host: api.treum.ai}]
                """;
        assertThat(check(WORKER + producers.substring(0, producers.indexOf("apiVersion: cert-manager.io")) + ingress))
                .isEmpty();
        assertThat(check(WORKER + producers.substring(0, producers.indexOf("apiVersion: cert-manager.io"))
                + ingress.replace("cert-manager.io/cluster-issuer", "owner"))).singleElement().asString()
                .contains("reads Secret api-tls (volume tls)");
    }

    @Test
    @Tag("peer")
    void everySecretTheBundledEnvironmentsReadIsDeclaredOrProduced() {
        for (String env : List.of("production", "staging")) {
            EnvironmentRevision revision = BundledPolicies.environment(env);
            assertThat(revision.errors()).isEmpty();
            assertThat(SecretReferences.check(revision.kubernetes())).as(env).isEmpty();
            assertThat(revision.kubernetes()).filteredOn(o -> o.key().kind().equals("ExternalSecret")).as(env).hasSize(3);
        }
    }

    private static List<LoadError> check(String yaml) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("k/s.yaml", yaml)), "shop");
        assertThat(loaded).isInstanceOf(LoadResult.Loaded.class);
        List<DesiredResource> objects = ((LoadResult.Loaded) loaded).resources();
        return SecretReferences.check(objects);
    }
}
