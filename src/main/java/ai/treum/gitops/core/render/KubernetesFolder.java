package ai.treum.gitops.core.render;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The objects of an environment's kubernetes/ folder: its manifests as written, or, when the
 * folder holds a kustomization.yaml, what kustomize builds of it; and in either case every Chart
 * object replaced by what Helm renders of its chart. Each object keeps the file and line that
 * declared it (a base, a patch's target, a chart template). Pure but for the renderer it is given.
 */
public final class KubernetesFolder {

    private KubernetesFolder() {
    }

    /**
     * @param folder the environment's folder; {@code files} may hold files outside it (shared bases, charts)
     */
    public static LoadResult load(String folder, List<SourceFile> files, String namespace,
            Function<RenderSource, Rendering> renderer) {
        String manifests = folder + "/kubernetes";
        Optional<SourceFile> kustomization = Kustomizations.at(manifests, files);
        LoadResult loaded = kustomization.isPresent()
                ? kustomize(manifests, kustomization.get(), files, namespace, renderer)
                : plain(manifests, files, namespace);
        if (loaded instanceof LoadResult.Rejected) {
            return loaded;
        }
        return charts(((LoadResult.Loaded) loaded).resources(), files, renderer);
    }

    private static LoadResult plain(String manifests, List<SourceFile> files, String namespace) {
        List<SourceFile> yaml = files.stream().filter(f -> f.path().startsWith(manifests + "/")).filter(SourceFile::yaml)
                .toList();
        List<LoadError> nested = yaml.stream().filter(f -> Kustomizations.isKustomization(f.path()))
                .map(f -> new LoadError(new SourceLocation(f.path(), 1), "kustomize-root", "kustomize builds "
                        + manifests + "/kustomization.yaml only; move it there or list plain manifests"))
                .toList();
        return nested.isEmpty() ? ManifestLoader.load(yaml, namespace) : new LoadResult.Rejected(nested);
    }

    private static LoadResult kustomize(String manifests, SourceFile kustomization, List<SourceFile> files,
            String namespace, Function<RenderSource, Rendering> renderer) {
        List<LoadError> refused = Kustomizations.check(files);
        if (!refused.isEmpty()) {
            return new LoadResult.Rejected(refused);
        }
        List<SourceFile> inputs = files.stream()
                .map(f -> f == kustomization ? Kustomizations.withOrigins(f) : f).toList();
        SourceLocation at = new SourceLocation(kustomization.path(), 1);
        Rendering rendering = renderer.apply(new RenderSource.Kustomization(manifests, at, inputs));
        if (rendering.failed()) {
            return new LoadResult.Rejected(List.of(new LoadError(at, "kustomize", rendering.error())));
        }
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile(kustomization.path(), rendering.manifests())),
                namespace);
        if (loaded instanceof LoadResult.Rejected) {
            return loaded;
        }
        Origins origins = new Origins(manifests, files);
        return new LoadResult.Loaded(((LoadResult.Loaded) loaded).resources().stream().map(origins::locate).toList());
    }

    private static LoadResult charts(List<DesiredResource> resources, List<SourceFile> files,
            Function<RenderSource, Rendering> renderer) {
        List<DesiredResource> objects = new ArrayList<>();
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource resource : resources) {
            if (!Charts.isChart(resource)) {
                objects.add(resource);
                continue;
            }
            Charts.Declared chart = Charts.read(resource, files);
            if (!chart.errors().isEmpty()) {
                errors.addAll(chart.errors());
                continue;
            }
            Rendering rendering = renderer.apply(chart.source());
            if (rendering.failed()) {
                errors.add(new LoadError(resource.source(), "helm", rendering.error()));
                continue;
            }
            LoadResult loaded = Charts.load(chart.source(), rendering.manifests());
            if (loaded instanceof LoadResult.Rejected rejected) {
                errors.addAll(rejected.errors());
            } else {
                objects.addAll(((LoadResult.Loaded) loaded).resources());
            }
        }
        errors.addAll(duplicates(objects));
        return errors.isEmpty() ? new LoadResult.Loaded(List.copyOf(objects)) : new LoadResult.Rejected(errors);
    }

    /** A chart's objects against the rest: one object, one declaration. */
    private static List<LoadError> duplicates(List<DesiredResource> objects) {
        Map<ResourceKey, SourceLocation> seen = new HashMap<>();
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource object : objects) {
            SourceLocation first = seen.putIfAbsent(object.key(), object.source());
            if (first != null) {
                errors.add(new LoadError(object.source(), "duplicate-object", object.key() + " is already defined at " + first));
            }
        }
        return errors;
    }
}
