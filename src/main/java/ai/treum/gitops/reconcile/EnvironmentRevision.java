package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One environment's folder at one revision, read into its spec and its Kubernetes objects, or
 * into the errors that reject the whole revision. Pure: files in, result out.
 */
public record EnvironmentRevision(EnvironmentSpec environment, List<DesiredResource> kubernetes, List<LoadError> problems) {

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The problems as one line each: {@code file:line: rule: message}. */
    public List<String> errors() {
        return problems.stream().map(LoadError::toString).toList();
    }

    /**
     * @param folder the environment's folder, relative to the repository root ({@code environments/staging})
     * @param files  every file under that folder
     */
    public static EnvironmentRevision read(String name, String folder, List<SourceFile> files) {
        Optional<SourceFile> environmentFile = files.stream()
                .filter(f -> f.path().equals(folder + "/environment.yaml")).findFirst();
        if (environmentFile.isEmpty()) {
            return invalid(new LoadError(new SourceLocation(folder + "/environment.yaml", 1), "missing-environment",
                    "environment " + name + " has no environment.yaml"));
        }
        EnvironmentLoader.Result spec = EnvironmentLoader.load(environmentFile.get(), name);
        if (!spec.errors().isEmpty()) {
            return new EnvironmentRevision(null, List.of(), spec.errors());
        }
        String manifests = folder + "/kubernetes/";
        List<SourceFile> kubernetes = files.stream().filter(f -> f.path().startsWith(manifests))
                .filter(f -> f.path().endsWith(".yaml") || f.path().endsWith(".yml")).toList();
        List<LoadError> errors = new ArrayList<>();
        kubernetes.stream().filter(f -> f.path().endsWith("/kustomization.yaml") || f.path().endsWith("/kustomization.yml"))
                .forEach(f -> errors.add(new LoadError(new SourceLocation(f.path(), 1), "kustomize-unsupported",
                        "kustomizations are not rendered; list plain manifests instead")));
        if (!errors.isEmpty()) {
            return new EnvironmentRevision(spec.environment(), List.of(), errors);
        }
        LoadResult loaded = ManifestLoader.load(kubernetes, spec.environment().namespace());
        if (loaded instanceof LoadResult.Rejected rejected) {
            return new EnvironmentRevision(spec.environment(), List.of(), rejected.errors());
        }
        return new EnvironmentRevision(spec.environment(), ((LoadResult.Loaded) loaded).resources(), List.of());
    }

    private static EnvironmentRevision invalid(LoadError error) {
        return new EnvironmentRevision(null, List.of(), List.of(error));
    }
}
