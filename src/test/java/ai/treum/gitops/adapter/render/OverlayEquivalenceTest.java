package ai.treum.gitops.adapter.render;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.render.KubernetesFolder;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.peers.Renderers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled environments as a shared base and two overlays render exactly the objects the
 * environments declared as plain manifests before (src/test/resources/overlay-equivalence): same
 * objects, same fields, same values.
 */
@Tag("peer")
class OverlayEquivalenceTest {

    private final RenderProcesses renderer = Renderers.processes();

    private static List<SourceFile> files(Path folder) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    private static Map<ResourceKey, JsonNode> bodies(LoadResult loaded) {
        assertThat(loaded).as(loaded.toString()).isInstanceOf(LoadResult.Loaded.class);
        return ((LoadResult.Loaded) loaded).resources().stream()
                .collect(Collectors.toMap(DesiredResource::key, DesiredResource::body, (a, b) -> a, TreeMap::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theOverlayRendersTheObjectsTheEnvironmentDeclaredBefore(String environment) throws IOException {
        String namespace = "treum-" + environment;
        List<SourceFile> repository = new ArrayList<>(files(Path.of("environments", environment)));
        repository.addAll(files(Path.of("environments", "base")));
        Path before = Path.of("src/test/resources/overlay-equivalence", environment + ".yaml");

        Map<ResourceKey, JsonNode> rendered = bodies(KubernetesFolder.load("environments/" + environment, repository,
                namespace, renderer::render));
        Map<ResourceKey, JsonNode> declared = bodies(ManifestLoader.load(
                List.of(new SourceFile(before.toString(), Files.readString(before))), namespace));

        assertThat(rendered.keySet()).containsExactlyElementsOf(declared.keySet());
        rendered.forEach((key, body) -> assertThat(body).as(key.toString()).isEqualTo(declared.get(key)));
        assertThat(rendered).hasSizeGreaterThan(25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void noPlaceholderOfTheBaseIsLeftInAnEnvironment(String environment) throws IOException {
        List<SourceFile> repository = new ArrayList<>(files(Path.of("environments", environment)));
        repository.addAll(files(Path.of("environments", "base")));
        Function<LoadResult, String> text = loaded -> ((LoadResult.Loaded) loaded).resources().stream()
                .map(r -> r.body().toString()).collect(Collectors.joining("\n"));

        assertThat(text.apply(KubernetesFolder.load("environments/" + environment, repository, "treum-" + environment,
                renderer::render))).doesNotContain("set-by-overlay");
    }
}
