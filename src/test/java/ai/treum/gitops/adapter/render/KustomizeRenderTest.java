package ai.treum.gitops.adapter.render;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.render.RenderSource;
import ai.treum.gitops.core.render.Rendering;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.peers.Renderers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Kustomizations rendered by the pinned kustomize binary, as the daemon and validate read them. */
@Tag("peer")
class KustomizeRenderTest {

    private static final String ENVIRONMENT = """
            apiVersion: gitops.treum.ai/v1alpha1
            kind: Environment
            metadata: {name: staging}
            spec: {namespace: treum-staging}
            """;
    private static final String BASE = "environments/base/kubernetes/";
    private static final String OVERLAY = "environments/staging/kubernetes/";

    private final RenderProcesses kustomize = Renderers.processes();

    private static List<SourceFile> repository(String overlay, SourceFile... more) {
        List<SourceFile> files = new ArrayList<>(List.of(
                new SourceFile("environments/staging/environment.yaml", ENVIRONMENT),
                new SourceFile(BASE + "kustomization.yaml", "resources: [api.yaml]\n"),
                new SourceFile(BASE + "api.yaml", """
                        apiVersion: v1
                        kind: ServiceAccount
                        metadata: {name: api}
                        ---
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: api, labels: {app: api}}
                        spec:
                          replicas: 1
                          selector: {matchLabels: {app: api}}
                          template:
                            metadata: {labels: {app: api}}
                            spec:
                              serviceAccountName: api
                              containers: [{name: api, image: "registry.treum.ai/api:1.0"}]
                        """),
                new SourceFile(OVERLAY + "kustomization.yaml", overlay)));
        files.addAll(List.of(more));
        return files;
    }

    private EnvironmentRevision read(List<SourceFile> files) {
        return read(files, kustomize::render);
    }

    private static EnvironmentRevision read(List<SourceFile> files, Function<RenderSource, Rendering> renderer) {
        return EnvironmentRevision.read("staging", "environments/staging", files, Boundary.of("treum-gitops"), renderer);
    }

    private static DesiredResource object(EnvironmentRevision read, String kind, String name) {
        return read.kubernetes().stream().filter(r -> r.key().kind().equals(kind) && r.key().name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + read.kubernetes()));
    }

    @Test
    void anOverlayPatchesItsBaseAndEachObjectKeepsTheFileThatDeclaredIt() {
        EnvironmentRevision read = read(repository("""
                resources: [../../base/kubernetes]
                patches:
                  - path: replicas.yaml
                images:
                  - {name: registry.treum.ai/api, newTag: "1.1"}
                configMapGenerator:
                  - name: api-settings
                    literals: [LOG_LEVEL=debug]
                    options: {disableNameSuffixHash: true}
                """, new SourceFile(OVERLAY + "replicas.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec: {replicas: 3}
                """)));

        assertThat(read.errors()).isEmpty();
        DesiredResource api = object(read, "Deployment", "api");
        assertThat(api.key().namespace()).isEqualTo("treum-staging");
        assertThat(api.body().at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(api.body().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.treum.ai/api:1.1");
        assertThat(api.source()).isEqualTo(new SourceLocation(BASE + "api.yaml", 5));
        assertThat(api.body().path("metadata").has("annotations")).as("the origin annotation never reaches the cluster")
                .isFalse();
        assertThat(object(read, "ServiceAccount", "api").source()).isEqualTo(new SourceLocation(BASE + "api.yaml", 1));
        DesiredResource settings = object(read, "ConfigMap", "api-settings");
        assertThat(settings.source().file()).isEqualTo(OVERLAY + "kustomization.yaml");
        assertThat(settings.body().at("/data/LOG_LEVEL").asText()).isEqualTo("debug");
    }

    @Test
    void aRemoteBaseIsRefusedWithItsLineAndKustomizeIsNeverRun() {
        AtomicInteger renders = new AtomicInteger();
        EnvironmentRevision read = read(repository("""
                resources:
                  - ../../base/kubernetes
                  - https://github.com/treum/platform//base?ref=v1
                """), source -> {
                    renders.incrementAndGet();
                    return kustomize.render(source);
                });

        assertThat(read.errors()).containsExactly(OVERLAY + "kustomization.yaml:3: kustomize-reference: resources entry "
                + "'https://github.com/treum/platform//base?ref=v1' is not a file or folder of this repository (remote "
                + "bases are never fetched: vendor them into the repository)");
        assertThat(renders).hasValue(0);
    }

    @Test
    void aFolderOutsideTheRepositoryIsRefusedToo() {
        EnvironmentRevision read = read(repository("resources: [../../../../etc]\n"));

        assertThat(read.errors()).singleElement().asString()
                .startsWith(OVERLAY + "kustomization.yaml:1: kustomize-reference: resources entry '../../../../etc'");
    }

    @Test
    void evenPastTheCheckKustomizeFetchesNothing() {
        List<SourceFile> inputs = List.of(new SourceFile(OVERLAY + "kustomization.yaml",
                "resources: [https://raw.githubusercontent.com/treum/platform/main/app.yaml]\n"));

        Rendering rendering = kustomize.render(new RenderSource.Kustomization("environments/staging/kubernetes",
                new SourceLocation(OVERLAY + "kustomization.yaml", 1), inputs));

        assertThat(rendering.failed()).isTrue();
        assertThat(rendering.error()).startsWith("kustomize failed: ").doesNotContain("treum-gitops-render");
    }

    @Test
    void aPatchOfNothingIsRejectedWithKustomizesWordsAndRepositoryPaths() {
        EnvironmentRevision read = read(repository("""
                resources: [../../base/kubernetes]
                patches:
                  - path: missing.yaml
                """, new SourceFile(OVERLAY + "missing.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: not-there}
                spec: {replicas: 3}
                """)));

        assertThat(read.errors()).singleElement().asString()
                .startsWith(OVERLAY + "kustomization.yaml:1: kustomize: kustomize failed: ")
                .contains("not-there").doesNotContain("/tmp", "treum-gitops-render");
    }

    @Test
    void ourRulesNameTheBaseFileAndLineOfTheObjectThatBreaksThem() {
        EnvironmentRevision read = read(repository("resources: [../../base/kubernetes, token.yaml]\n",
                new SourceFile(OVERLAY + "token.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: filler}
                        ---
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: api-token, annotations: {kubernetes.io/service-account.name: api}}
                        type: kubernetes.io/service-account-token
                        """)));

        assertThat(read.errors()).singleElement().asString()
                .startsWith(OVERLAY + "token.yaml:5: service-account-token: Secret/treum-staging/api-token");
    }

    @Test
    void aKustomizationBelowTheTopOfKubernetesIsNotSilentlyIgnored() {
        List<SourceFile> files = List.of(new SourceFile("environments/staging/environment.yaml", ENVIRONMENT),
                new SourceFile(OVERLAY + "app/kustomization.yaml", "resources: [a.yaml]\n"));

        assertThat(read(files).errors()).containsExactly(OVERLAY + "app/kustomization.yaml:1: kustomize-root: kustomize "
                + "builds environments/staging/kubernetes/kustomization.yaml only; move it there or list plain manifests");
    }

    @Test
    void aRenderingIsBoundedInTimeAndOutput() {
        RenderSource source = new RenderSource.Kustomization("environments/base/kubernetes",
                new SourceLocation(BASE + "kustomization.yaml", 1), repository(""));

        assertThat(Renderers.processes(Duration.ofMillis(1), 1 << 20).render(source).error())
                .isEqualTo("kustomize did not finish within PT0.001S (treum-gitops.render.timeout)");
        assertThat(Renderers.processes(Duration.ofSeconds(30), 100).render(source).error())
                .isEqualTo("kustomize printed more than 100 bytes (treum-gitops.render.max-output-bytes)");
    }

    @Test
    void anUnchangedTreeIsRenderedOnce() {
        RenderSource source = new RenderSource.Kustomization("environments/base/kubernetes",
                new SourceLocation(BASE + "kustomization.yaml", 1), repository(""));

        Rendering first = kustomize.render(source);
        Rendering again = kustomize.render(new RenderSource.Kustomization("environments/base/kubernetes",
                new SourceLocation(BASE + "kustomization.yaml", 1), repository("")));

        assertThat(first.failed()).isFalse();
        assertThat(again).isSameAs(first);
    }
}
