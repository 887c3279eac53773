package ai.treum.gitops.core.render;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Chart object ({@code gitops.treum.ai/v1alpha1}): a Helm chart vendored in the repository,
 * rendered with values files into the release's namespace. Paths are relative to the file that
 * declares the Chart and never leave the repository; nothing is fetched at render time.
 * <pre>
 * kind: Chart
 * metadata: {name: metrics-server, namespace: monitoring}   # the release and its namespace
 * spec:
 *   chart: ../../charts/metrics-server
 *   values: [metrics-server-values.yaml]
 * </pre>
 */
final class Charts {

    static final String KIND = "Chart";

    /** A Chart object read: the rendering it asks for, or what is wrong with it. */
    record Declared(RenderSource.Chart source, List<LoadError> errors) {
    }

    private Charts() {
    }

    static boolean isChart(DesiredResource resource) {
        return EnvironmentLoader.API_VERSION.equals(resource.apiVersion()) && KIND.equals(resource.key().kind());
    }

    static Declared read(DesiredResource resource, List<SourceFile> files) {
        String file = resource.source().file();
        String folder = file.substring(0, Math.max(file.lastIndexOf('/'), 0));
        JsonNode spec = resource.body().path("spec");
        List<LoadError> errors = new ArrayList<>();
        String chart = spec.path("chart").isTextual() ? Paths.resolve(folder, spec.path("chart").asText()) : null;
        if (!spec.path("chart").isTextual()) {
            errors.add(error(resource, "chart-spec", "spec.chart must name the chart's folder"));
        } else if (chart == null || files.stream().noneMatch(f -> f.path().equals(chart + "/Chart.yaml"))) {
            errors.add(error(resource, "chart-missing", "spec.chart '" + spec.path("chart").asText()
                    + "' is not a folder of this repository holding Chart.yaml; charts are vendored, never fetched"));
        }
        List<String> values = new ArrayList<>();
        for (JsonNode entry : spec.path("values")) {
            String path = entry.isTextual() ? Paths.resolve(folder, entry.asText()) : null;
            if (path == null || files.stream().noneMatch(f -> f.path().equals(path))) {
                errors.add(error(resource, "chart-values", "spec.values entry " + entry + " is not a file of this repository"));
            } else {
                values.add(path);
            }
        }
        if (!errors.isEmpty()) {
            return new Declared(null, errors);
        }
        List<SourceFile> inputs = files.stream()
                .filter(f -> f.path().startsWith(chart + "/") || values.contains(f.path())).toList();
        return new Declared(new RenderSource.Chart(chart, List.copyOf(values), resource.key().name(),
                resource.key().namespace(), resource.source(), inputs), List.of());
    }

    /** The rendered objects, each located at its template by the {@code # Source:} line Helm writes above it. */
    static LoadResult load(RenderSource.Chart chart, String manifests) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile(chart.chart(), manifests)), chart.namespace());
        if (loaded instanceof LoadResult.Rejected) {
            return loaded;
        }
        List<String> lines = manifests.lines().toList();
        return new LoadResult.Loaded(((LoadResult.Loaded) loaded).resources().stream()
                .map(r -> new DesiredResource(r.key(), r.apiVersion(), r.body(), template(chart, lines, r.source().line())))
                .toList());
    }

    private static SourceLocation template(RenderSource.Chart chart, List<String> lines, int line) {
        for (int i = Math.min(line, lines.size()) - 1; i >= 0 && !lines.get(i).equals("---"); i--) {
            String text = lines.get(i);
            if (text.startsWith("# Source: ") && text.indexOf('/') > 0) {
                return new SourceLocation(chart.chart() + text.substring(text.indexOf('/')), 1);
            }
        }
        return new SourceLocation(chart.chart(), line);
    }

    private static LoadError error(DesiredResource resource, String rule, String message) {
        return new LoadError(resource.source(), rule, resource.key() + ": " + message);
    }
}
