package ai.treum.gitops.core.render;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kustomization files of a revision, checked before kustomize sees them: everything a
 * kustomization names must be a file or folder of the repository (so nothing is fetched: remote
 * bases are refused, not cloned), and Helm is rendered by a Chart object, not by kustomize. Pure.
 */
public final class Kustomizations {

    private static final Set<String> NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final List<String> REFERENCES = List.of("resources", "bases", "components", "crds",
            "patchesStrategicMerge");
    private static final List<String> HELM = List.of("helmCharts", "helmChartInflationGenerator", "helmGlobals");
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    private static final String ORIGINS = "buildMetadata: [originAnnotations]";

    private Kustomizations() {
    }

    public static boolean isKustomization(String path) {
        return NAMES.contains(path.substring(path.lastIndexOf('/') + 1));
    }

    /** The kustomization at the top of a folder, if any. */
    public static Optional<SourceFile> at(String folder, List<SourceFile> files) {
        return files.stream().filter(f -> isKustomization(f.path()))
                .filter(f -> f.path().substring(0, f.path().lastIndexOf('/')).equals(folder)).findFirst();
    }

    /** One error per reference of any kustomization among the files that leaves the repository or asks for Helm. */
    public static List<LoadError> check(List<SourceFile> files) {
        List<LoadError> errors = new ArrayList<>();
        for (SourceFile file : files) {
            if (isKustomization(file.path())) {
                errors.addAll(check(file, files));
            }
        }
        return errors;
    }

    private static List<LoadError> check(SourceFile kustomization, List<SourceFile> files) {
        if (kustomization.refused() != null) {
            return List.of(new LoadError(new SourceLocation(kustomization.path(), 1), kustomization.refused().rule(),
                    kustomization.refused().reason()));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(kustomization.content());
        } catch (IOException e) {
            return List.of(new LoadError(new SourceLocation(kustomization.path(), 1), "yaml-syntax",
                    "the kustomization is not YAML kustomize can read"));
        }
        List<LoadError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return errors;
        }
        String folder = kustomization.path().substring(0, kustomization.path().lastIndexOf('/'));
        for (String field : HELM) {
            if (root.has(field)) {
                errors.add(new LoadError(locate(kustomization, field + ":"), "kustomize-helm", field
                        + " is not rendered by kustomize here; declare a Chart (gitops.treum.ai/v1alpha1) instead"));
            }
        }
        for (String field : REFERENCES) {
            for (JsonNode entry : root.path(field)) {
                String reference = entry.isTextual() ? entry.asText() : entry.path("path").asText();
                if (!reference.isEmpty() && !inRepository(Paths.resolve(folder, reference), files)) {
                    errors.add(new LoadError(locate(kustomization, reference), "kustomize-reference", field + " entry '"
                            + reference + "' is not a file or folder of this repository (remote bases are never"
                            + " fetched: vendor them into the repository)"));
                }
            }
        }
        return errors;
    }

    /**
     * The kustomization as kustomize is given it: asking for each object's origin, which maps the
     * object back to the file that declared it. A kustomization with buildMetadata of its own keeps it.
     */
    public static SourceFile withOrigins(SourceFile kustomization) {
        if (kustomization.content().lines().anyMatch(line -> line.startsWith("buildMetadata:"))) {
            return kustomization;
        }
        String content = kustomization.content();
        return new SourceFile(kustomization.path(), content + (content.endsWith("\n") ? "" : "\n") + ORIGINS + "\n");
    }

    private static boolean inRepository(String path, List<SourceFile> files) {
        return path != null && files.stream().anyMatch(f -> f.path().equals(path) || f.path().startsWith(path + "/"));
    }

    private static SourceLocation locate(SourceFile file, String text) {
        List<String> lines = file.content().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return new SourceLocation(file.path(), i + 1);
            }
        }
        return new SourceLocation(file.path(), 1);
    }
}
