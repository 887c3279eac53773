package ai.treum.gitops.core.revision;

import ai.treum.gitops.core.aws.AwsKind;
import ai.treum.gitops.core.aws.AwsResources;
import ai.treum.gitops.core.backup.BackupJobs;
import ai.treum.gitops.core.backup.BackupPolicy;
import ai.treum.gitops.core.backup.BucketAgreement;
import ai.treum.gitops.core.health.HealthRules;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.EnvironmentBoundary;
import ai.treum.gitops.core.load.EnvironmentLoader;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.network.NetworkReachability;
import ai.treum.gitops.core.render.KubernetesFolder;
import ai.treum.gitops.core.render.RenderSource;
import ai.treum.gitops.core.render.Rendering;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.core.rollout.Strategy;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.SourceLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One environment's folder at one revision, read into its spec, its Kubernetes objects and its
 * declared AWS resources and backup policies, or into the errors that reject the whole revision.
 * Pure: files in, result out.
 *
 * @param declared the objects of aws/ and backups/: checked by policies, never applied to the cluster
 * @param aws      the AWS resources of aws/, read into their kinds' fields
 * @param health   the environment's own health rules ({@code spec.health}), compiled
 */
public record EnvironmentRevision(EnvironmentSpec environment, List<DesiredResource> kubernetes,
        List<DesiredResource> declared, List<AwsResource> aws, List<LoadError> problems, HealthRules health) {

    /** The kinds each folder besides kubernetes/ may hold, all of {@link EnvironmentLoader#API_VERSION}. */
    private static final Map<String, Set<String>> DECLARED_KINDS = Map.of(
            "aws", Arrays.stream(AwsKind.values()).map(AwsKind::kind).collect(Collectors.toUnmodifiableSet()),
            "backups", Set.of("BackupPolicy"));

    private static final Function<RenderSource, Rendering> NO_RENDERER =
            source -> Rendering.failed("no renderer (kustomize, helm) is configured where this revision is read");

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
     * @param boundary the daemon's own namespace, which no environment may write to, and its grants
     */
    public static EnvironmentRevision read(String name, String folder, List<SourceFile> files, Boundary boundary) {
        return read(name, folder, files, boundary, NO_RENDERER);
    }

    /**
     * @param files    may hold files outside the folder: the shared bases and charts its kustomization and Charts use
     * @param renderer renders the kustomization of kubernetes/ and the charts its Chart objects name
     */
    public static EnvironmentRevision read(String name, String folder, List<SourceFile> files, Boundary boundary,
            Function<RenderSource, Rendering> renderer) {
        Optional<SourceFile> environmentFile = files.stream()
                .filter(f -> f.path().equals(folder + "/environment.yaml")).findFirst();
        if (environmentFile.isEmpty()) {
            return invalid(new LoadError(new SourceLocation(folder + "/environment.yaml", 1), "missing-environment",
                    "environment " + name + " has no environment.yaml"));
        }
        EnvironmentLoader.Result spec = EnvironmentLoader.load(environmentFile.get(), name);
        if (!spec.errors().isEmpty()) {
            return rejected(null, spec.errors());
        }
        HealthRules.Compilation health = HealthRules.compile(spec.environment().health());
        if (!health.errors().isEmpty()) {
            return rejected(spec.environment(), health.errors());
        }
        List<LoadError> errors = new ArrayList<>();
        LoadResult loaded = KubernetesFolder.load(folder, files, spec.environment().namespace(), renderer);
        if (loaded instanceof LoadResult.Rejected rejected) {
            errors.addAll(rejected.errors());
        } else {
            errors.addAll(Strategy.check(((LoadResult.Loaded) loaded).resources()));
            errors.addAll(Hook.check(((LoadResult.Loaded) loaded).resources()));
        }
        List<DesiredResource> declared = new ArrayList<>();
        DECLARED_KINDS.forEach((sub, kinds) -> declared.addAll(declared(folder + "/" + sub + "/", kinds, files, errors)));
        AwsResources.Result aws = AwsResources.parse(declared);
        errors.addAll(aws.errors());
        if (!errors.isEmpty()) {
            return rejected(spec.environment(), errors);
        }
        declared.sort(Comparator.comparing(DesiredResource::key));
        List<DesiredResource> kubernetesObjects = new ArrayList<>(((LoadResult.Loaded) loaded).resources());
        errors.addAll(backupJobs(spec.environment(), declared, kubernetesObjects));
        errors.addAll(EnvironmentBoundary.check(spec.environment(), kubernetesObjects, boundary));
        // a NetworkPolicy that cuts a declared path would stall the environment where policies are enforced
        errors.addAll(NetworkReachability.check(kubernetesObjects));
        if (!errors.isEmpty()) {
            return rejected(spec.environment(), errors);
        }
        return new EnvironmentRevision(spec.environment(), List.copyOf(kubernetesObjects), List.copyOf(declared),
                aws.resources(), List.of(), health.rules());
    }

    /** Adds the CronJobs and scripts of every BackupPolicy to the objects applied; a bad policy is an error. */
    private static List<LoadError> backupJobs(EnvironmentSpec environment, List<DesiredResource> declared,
            List<DesiredResource> kubernetes) {
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource resource : declared) {
            if (!resource.key().kind().equals("BackupPolicy")) {
                continue;
            }
            BackupPolicy.Parsed parsed = BackupPolicy.parse(resource);
            errors.addAll(parsed.errors());
            if (parsed.policy() == null) {
                continue;
            }
            errors.addAll(BucketAgreement.check(parsed.policy(), resource, declared));
            for (DesiredResource job : BackupJobs.render(parsed.policy(), resource, environment.namespace(),
                    environment.aws().region())) {
                kubernetes.stream().filter(o -> o.key().equals(job.key())).findFirst().ifPresentOrElse(
                        clash -> errors.add(new LoadError(resource.source(), "backup-policy", resource.key() + " makes "
                                + job.key() + ", which " + clash.source() + " declares too")),
                        () -> kubernetes.add(job));
            }
        }
        return errors;
    }

    /** Every object the revision declares: Kubernetes objects, AWS resources and backup policies. */
    public List<DesiredResource> all() {
        List<DesiredResource> all = new ArrayList<>(kubernetes);
        all.addAll(declared);
        return all;
    }

    private static List<DesiredResource> declared(String prefix, Set<String> kinds, List<SourceFile> files,
            List<LoadError> errors) {
        LoadResult loaded = ManifestLoader.load(yaml(files, prefix), null);
        if (loaded instanceof LoadResult.Rejected rejected) {
            errors.addAll(rejected.errors());
            return List.of();
        }
        List<DesiredResource> resources = ((LoadResult.Loaded) loaded).resources();
        resources.stream().filter(r -> !r.apiVersion().equals(EnvironmentLoader.API_VERSION) || !kinds.contains(r.key().kind()))
                .forEach(r -> errors.add(new LoadError(r.source(), "declared-kind", r.key() + ": " + prefix
                        + " holds only " + String.join(", ", new TreeSet<>(kinds)) + " of " + EnvironmentLoader.API_VERSION)));
        return resources;
    }

    private static List<SourceFile> yaml(List<SourceFile> files, String prefix) {
        return files.stream().filter(f -> f.path().startsWith(prefix)).filter(SourceFile::yaml).toList();
    }

    private static EnvironmentRevision invalid(LoadError error) {
        return rejected(null, List.of(error));
    }

    private static EnvironmentRevision rejected(EnvironmentSpec environment, List<LoadError> errors) {
        return new EnvironmentRevision(environment, List.of(), List.of(), List.of(), errors, HealthRules.NONE);
    }
}
