package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.peers.BundledBoundary;
import ai.treum.gitops.peers.Renderers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The project's own policies/ and test objects, read from the working tree. */
public final class BundledPolicies {

    private BundledPolicies() {
    }

    public static List<SourceFile> files() {
        return read(Path.of("policies"));
    }

    public static PolicySet compiled() {
        PolicySet.Compiled compiled = PolicySet.compile(files());
        if (!compiled.valid()) {
            throw new IllegalStateException("bundled policies do not compile: " + compiled.errors());
        }
        return compiled.policies();
    }

    /** A bundled environment ({@code environments/<name>}) read as the daemon reads it, kustomize and all. */
    public static EnvironmentRevision environment(String name) {
        return environment(name, files -> files);
    }

    /**
     * A bundled environment read after {@code edit} changed its files (its own, the shared base's and
     * the vendored charts'), with the boundary grants of a packaged daemon.
     */
    public static EnvironmentRevision environment(String name, UnaryOperator<List<SourceFile>> edit) {
        String folder = "environments/" + name;
        List<SourceFile> files = new ArrayList<>(read(Path.of(folder)));
        files.addAll(read(Path.of("environments", "base")));
        files.addAll(every(Path.of("environments", "charts")));
        return EnvironmentRevision.read(name, folder, edit.apply(files), BundledBoundary.boundary(),
                Renderers.processes()::render);
    }

    /** Every .yaml file under a folder, paths as given. */
    public static List<SourceFile> read(Path folder) {
        return files(folder, p -> p.toString().endsWith(".yaml"));
    }

    /** Every file under a folder (a chart's templates and helpers too), paths as given. */
    private static List<SourceFile> every(Path folder) {
        return files(folder, Files::isRegularFile);
    }

    private static List<SourceFile> files(Path folder, Predicate<Path> which) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(which).sorted().map(p -> {
                try {
                    return new SourceFile(p.toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one YAML file, namespaced objects in {@code namespace} unless they say otherwise. */
    public static List<DesiredResource> objects(Path file, String namespace) {
        LoadResult loaded = ManifestLoader.load(read(file), namespace);
        if (loaded instanceof LoadResult.Rejected rejected) {
            throw new IllegalStateException(rejected.toString());
        }
        return ((LoadResult.Loaded) loaded).resources();
    }
}
