package ai.treum.gitops.cli;

import ai.treum.gitops.adapter.prometheus.PromtoolSyntax;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.SecretReferences;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.policy.PolicyFinding;
import ai.treum.gitops.core.policy.PolicyReport;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subjects;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.schema.OpenApi;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.port.ManifestRenderer;
import ai.treum.gitops.reconcile.AlertCheck;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks environments offline, with the same loader the daemon uses: what it rejects here, the
 * daemon would reject too. Exit 0 when clean, 1 with findings, 2 for usage or I/O errors.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops validate",
                "  treum-gitops validate --env production --format json"}, sortOptions = false,
        description = {"Check every environment offline, as the daemon would before applying.",
                "YAML, apiVersion, kind and name, objects defined twice, environment.yaml, each workload's declared",
                "needs (gitops.treum.ai/needs) against the NetworkPolicies, each Secret a pod reads against what",
                "the revision declares or produces (Secret, ExternalSecret, Certificate), then each object of a",
                "core kind against its Kubernetes OpenAPI schema (unknown fields, types, required fields), then every",
                "object against the ValidatingAdmissionPolicies of the policies folder: Deny is a finding, Warn is printed.",
                "Alert rules (alerts/) are checked as the daemon checks them before installing: structure, then promtool.",
                "Each finding names its file, line, object and rule. Exit status: 0 clean, 1 findings, 2 usage or I/O error."})
public class ValidateCommand implements Callable<Integer> {

    enum Format { text, json, junit, sarif }

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "environments", paramLabel = "DIR",
            description = "Folder with one folder per environment (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--env", paramLabel = "NAME", description = "Only this environment.")
    String environment;

    @Option(names = "--daemon-namespace", defaultValue = "treum-gitops", paramLabel = "NAME",
            description = "The daemon's own namespace, which no environment may write to (default: ${DEFAULT-VALUE}).")
    String daemonNamespace;

    @Option(names = "--policies", defaultValue = "policies", paramLabel = "DIR",
            description = "Folder of ValidatingAdmissionPolicies and their bindings (default: ${DEFAULT-VALUE}; "
                    + "without that folder, no policies).")
    Path policiesDir;

    @Option(names = "--promtool", defaultValue = "promtool", paramLabel = "PATH",
            description = "promtool, for the PromQL of alert rules (default: ${DEFAULT-VALUE}; when it cannot be run, "
                    + "the structural check stands alone).")
    String promtool;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (for people), json, junit (a test report per environment) or sarif (code-scanning "
                    + "annotations on the pull request); default: ${DEFAULT-VALUE}.")
    Format format;

    private final ManifestRenderer renderer;
    private OpenApiSchemas schemas;
    private final Map<String, List<LoadError>> warnings = new LinkedHashMap<>();
    private final PolicyStats policyStats = new PolicyStats();

    private final GitopsConfig config;

    ValidateCommand(ManifestRenderer renderer, GitopsConfig config) {
        this.config = config;
        this.renderer = renderer;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names;
        try {
            // a folder without environment.yaml is a shared base or chart, unless asked for by name
            names = environment != null ? Files.isDirectory(dir.resolve(environment)) ? List.of(environment) : List.of()
                    : EnvironmentFolder.environments(dir);
        } catch (IOException e) {
            err.println("cannot read " + dir + ": " + e.getMessage());
            return 2;
        }
        if (environment != null && names.isEmpty()) {
            err.println("no environment " + environment + " in " + dir);
            return 2;
        }
        Map<String, List<LoadError>> findings = new LinkedHashMap<>();
        boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--policies");
        if (explicit && !Files.isDirectory(policiesDir)) {
            err.println("no policies folder " + policiesDir);
            return 2;
        }
        long compileStart = System.nanoTime();
        PolicySet.Compiled compiled;
        try {
            compiled = PolicySet.compile(Files.isDirectory(policiesDir) ? read(policiesDir) : List.of());
        } catch (IOException e) {
            err.println("cannot read " + policiesDir + ": " + e.getMessage());
            return 2;
        }
        policyStats.compileNanos = System.nanoTime() - compileStart;
        if (!compiled.valid()) {
            findings.put(policiesDir.toString(), compiled.errors());
        }
        for (String name : names) {
            Path folder = dir.resolve(name);
            try {
                EnvironmentRevision revision = EnvironmentFolder.read(name, folder,
                        config.boundary(daemonNamespace), renderer);
                List<LoadError> problems = new ArrayList<>(check(revision, compiled.policies()));
                if (revision.valid()) {
                    problems.addAll(alerts(folder, revision.environment().namespace()));
                }
                findings.put(name, problems);
            } catch (IOException e) {
                err.println("cannot read " + folder + ": " + e.getMessage());
                return 2;
            }
        }
        int count = findings.values().stream().mapToInt(List::size).sum();
        if (format == Format.json) {
            out.println(json(findings, warnings));
        } else if (format == Format.junit) {
            out.println(FindingReports.junit(findings));
        } else if (format == Format.sarif) {
            out.println(FindingReports.sarif(findings));
        } else {
            findings.values().forEach(list -> list.forEach(out::println));
            warnings.values().forEach(list -> list.forEach(w -> out.println("warning: " + w)));
            out.printf("%d finding(s) in %d environment(s): %s%n", count, names.size(), String.join(", ", names));
            out.printf("policies: %d compiled in %d ms; %d object(s) checked in %d ms%n", compiled.policies().size(),
                    policyStats.compileNanos / 1_000_000, policyStats.objects, policyStats.evaluateNanos / 1_000_000);
        }
        out.flush();
        return count == 0 ? 0 : 1;
    }

    /**
     * The loader's problems; when there are none, each object against its kind's OpenAPI schema,
     * each Secret a pod reads against what the revision declares or produces, and the policies.
     */
    private List<LoadError> check(EnvironmentRevision revision, PolicySet policies) {
        if (!revision.valid()) {
            return revision.problems();
        }
        if (schemas == null) {
            schemas = OpenApiSchemas.shipped();
        }
        List<LoadError> problems = new ArrayList<>();
        for (DesiredResource object : revision.kubernetes()) {
            schemas.check(object.body()).orElse(List.of()).forEach(problem -> problems.add(
                    new LoadError(object.source(), "schema", object.key() + " " + problem)));
        }
        problems.addAll(SecretReferences.check(revision.kubernetes()));
        long start = System.nanoTime();
        List<DesiredResource> all = revision.all();
        PolicyReport report = policies.evaluate(revision.environment().name(),
                Subjects.of(all, OpenApi.shipped()::presented));
        policyStats.evaluateNanos += System.nanoTime() - start;
        policyStats.objects += all.size();
        for (PolicyFinding finding : report.findings()) {
            if (finding.action() == Action.DENY) {
                problems.add(finding.asLoadError());
            } else if (finding.action() == Action.WARN) {
                warnings.computeIfAbsent(revision.environment().name(), n -> new ArrayList<>()).add(finding.asLoadError());
            }
        }
        return problems;
    }

    /** The environment's alert rules, as the daemon checks them before installing any. */
    private List<LoadError> alerts(Path folder, String namespace) throws IOException {
        String alerts = folder.resolve("alerts") + "/";
        List<SourceFile> files = EnvironmentFolder.files(folder).stream().filter(f -> f.path().startsWith(alerts))
                .filter(SourceFile::yaml).toList();
        return files.isEmpty() ? List.of() : AlertCheck.run(files, namespace, new PromtoolSyntax(promtool)).errors();
    }

    private static List<SourceFile> read(Path folder) throws IOException {
        return EnvironmentFolder.files(folder).stream().filter(SourceFile::yaml).toList();
    }

    /** How long the policy engine took, for the summary line. */
    private static final class PolicyStats {
        long compileNanos;
        long evaluateNanos;
        int objects;
    }

    private static String json(Map<String, List<LoadError>> findings, Map<String, List<LoadError>> warnings) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of(
                    "environments", findings.keySet(), "findings", rows(findings), "warnings", rows(warnings)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> rows(Map<String, List<LoadError>> byEnvironment) {
        List<Map<String, Object>> rows = new ArrayList<>();
        byEnvironment.forEach((env, list) -> list.forEach(e -> rows.add(Map.of("environment", env,
                "file", e.location().file(), "line", e.location().line(), "rule", e.rule(), "message", e.message()))));
        return rows;
    }
}
