package ai.treum.gitops.adapter.render;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.render.KubernetesFolder;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.peers.Renderers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Chart objects rendered by the pinned helm from the chart vendored in environments/charts. */
@Tag("peer")
class HelmRenderTest {

    private static final String CHART = "environments/charts/metrics-server";
    /** The vendored metrics-server chart with its defaults, as a Chart object of staging. */
    private static final String METRICS_SERVER = """
            apiVersion: gitops.treum.ai/v1alpha1
            kind: Chart
            metadata: {name: metrics-server}
            spec: {chart: ../../charts/metrics-server}
            """;
    private static final String MANIFESTS = "environments/staging/kubernetes/";
    /** Values files live outside kubernetes/, whose every YAML file is read as manifests. */
    private static final String VALUES = "environments/staging/values/";

    private final RenderProcesses helm = Renderers.processes();

    private static List<SourceFile> repository(String chartObject, SourceFile... more) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of(CHART))) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        files.add(new SourceFile("environments/staging/environment.yaml", """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Environment
                metadata: {name: staging}
                spec: {namespace: treum-staging}
                """));
        files.add(new SourceFile(MANIFESTS + "metrics-server.yaml", chartObject));
        files.addAll(List.of(more));
        return files;
    }

    private LoadResult load(List<SourceFile> files) {
        return KubernetesFolder.load("environments/staging", files, "treum-staging", helm::render);
    }

    private static DesiredResource object(LoadResult loaded, String kind, String name) {
        return ((LoadResult.Loaded) loaded).resources().stream()
                .filter(r -> r.key().kind().equals(kind) && r.key().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered"));
    }

    @Test
    void aChartObjectBecomesTheChartsObjectsWithItsValuesEachAtItsTemplate() throws IOException {
        LoadResult loaded = load(repository("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: beside-the-chart}
                ---
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Chart
                metadata: {name: metrics-server, namespace: monitoring}
                spec:
                  chart: ../../charts/metrics-server
                  values: [../values/metrics-server.yaml]
                """, new SourceFile(VALUES + "metrics-server.yaml", "replicas: 2\n")));

        assertThat(loaded).isInstanceOf(LoadResult.Loaded.class);
        DesiredResource deployment = object(loaded, "Deployment", "metrics-server");
        assertThat(deployment.key().namespace()).isEqualTo("monitoring");
        assertThat(deployment.body().at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.body().at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.k8s.io/metrics-server/metrics-server:v0.7.2");
        assertThat(deployment.source()).isEqualTo(new SourceLocation(CHART + "/templates/deployment.yaml", 1));
        assertThat(object(loaded, "APIService", "v1beta1.metrics.k8s.io").source().file())
                .isEqualTo(CHART + "/templates/apiservice.yaml");
        assertThat(object(loaded, "ConfigMap", "beside-the-chart").source())
                .isEqualTo(new SourceLocation(MANIFESTS + "metrics-server.yaml", 1));
        assertThat(((LoadResult.Loaded) loaded).resources()).isNotEmpty().noneMatch(r -> r.key().kind().equals("Chart"));
    }

    @Test
    void theEnvironmentsBoundaryHoldsForWhatAChartRenders() throws IOException {
        EnvironmentRevision read = EnvironmentRevision.read("staging", "environments/staging", repository(METRICS_SERVER),
                Boundary.of("treum-gitops"), helm::render);

        assertThat(read.errors()).contains(CHART + "/templates/rolebinding.yaml:1: reserved-namespace: "
                + "RoleBinding/kube-system/metrics-server-auth-reader: kube-system belongs to "
                + "the cluster; no environment writes there");
    }

    @Test
    void whatTheDaemonsConfigurationGrantsAChartMayRender() throws IOException {
        EnvironmentRevision read = EnvironmentRevision.read("staging", "environments/staging", repository(METRICS_SERVER),
                Boundary.parse("treum-gitops", List.of("staging:RoleBinding/kube-system/metrics-server-auth-reader")),
                helm::render);

        assertThat(read.errors()).noneMatch(e -> e.contains("RoleBinding/kube-system")).isNotEmpty()
                .allMatch(e -> e.contains("cluster-scoped-boundary"), "staging lists no cluster-scoped kinds");
    }

    @Test
    void aChartNotInTheRepositoryIsRefusedAtTheChartObject() throws IOException {
        LoadResult loaded = load(repository("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Chart
                metadata: {name: ingress}
                spec:
                  chart: oci://ghcr.io/treum/charts/ingress
                  values: [../../../../values.yaml]
                """));

        assertThat(((LoadResult.Rejected) loaded).errors()).extracting(Object::toString).containsExactly(
                MANIFESTS + "metrics-server.yaml:1: chart-missing: Chart/treum-staging/ingress: spec.chart "
                        + "'oci://ghcr.io/treum/charts/ingress' is not a folder of this repository holding Chart.yaml; "
                        + "charts are vendored, never fetched",
                MANIFESTS + "metrics-server.yaml:1: chart-values: Chart/treum-staging/ingress: spec.values "
                        + "entry \"../../../../values.yaml\" is not a file of this repository");
    }

    @Test
    void aTemplateErrorIsReportedAtTheChartObjectInHelmsWords() throws IOException {
        LoadResult loaded = load(repository("""
                apiVersion: gitops.treum.ai/v1alpha1
                kind: Chart
                metadata: {name: metrics-server}
                spec:
                  chart: ../../charts/metrics-server
                  values: [../values/bad.yaml]
                """, new SourceFile(VALUES + "bad.yaml", "defaultArgs: 7\n")));

        assertThat(((LoadResult.Rejected) loaded).errors()).singleElement().asString()
                .startsWith(MANIFESTS + "metrics-server.yaml:1: helm: helm failed: ")
                .contains("metrics-server/templates/deployment.yaml").doesNotContain("/tmp", "treum-gitops-render");
    }
}
