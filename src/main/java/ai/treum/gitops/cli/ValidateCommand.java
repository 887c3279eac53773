package ai.treum.gitops.cli;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.reconcile.EnvironmentRevision;
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
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks environments offline, with the same loader the daemon uses: what it rejects here, the
 * daemon would reject too. Exit 0 when clean, 1 with findings, 2 for usage or I/O errors.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check every environment offline, as the daemon would before applying.",
                "YAML, apiVersion, kind and name, objects defined twice, environment.yaml, then each object of a",
                "core kind against its Kubernetes OpenAPI schema (unknown fields, types, required fields).",
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

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (for people), json, junit (a test report per environment) or sarif (code-scanning "
                    + "annotations on the pull request); default: ${DEFAULT-VALUE}.")
    Format format;

    private OpenApiSchemas schemas;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names;
        try (Stream<Path> children = Files.list(dir)) {
            names = children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> environment == null || n.equals(environment)).sorted().toList();
        } catch (IOException e) {
            err.println("cannot read " + dir + ": " + e.getMessage());
            return 2;
        }
        if (environment != null && names.isEmpty()) {
            err.println("no environment " + environment + " in " + dir);
            return 2;
        }
        Map<String, List<LoadError>> findings = new LinkedHashMap<>();
        for (String name : names) {
            Path folder = dir.resolve(name);
            try {
                findings.put(name, check(EnvironmentFolder.read(name, folder)));
            } catch (IOException e) {
                err.println("cannot read " + folder + ": " + e.getMessage());
                return 2;
            }
        }
        int count = findings.values().stream().mapToInt(List::size).sum();
        if (format == Format.json) {
            out.println(json(findings));
        } else if (format == Format.junit) {
            out.println(FindingReports.junit(findings));
        } else if (format == Format.sarif) {
            out.println(FindingReports.sarif(findings));
        } else {
            findings.values().forEach(list -> list.forEach(out::println));
            out.printf("%d finding(s) in %d environment(s): %s%n", count, findings.size(), String.join(", ", names));
        }
        out.flush();
        return count == 0 ? 0 : 1;
    }

    /** The loader's problems; when there are none, each object against the OpenAPI schema of its kind. */
    private List<LoadError> check(EnvironmentRevision revision) {
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
        return problems;
    }

    private static String json(Map<String, List<LoadError>> findings) {
        List<Map<String, Object>> rows = new ArrayList<>();
        findings.forEach((env, list) -> list.forEach(e -> rows.add(Map.of("environment", env,
                "file", e.location().file(), "line", e.location().line(), "rule", e.rule(), "message", e.message()))));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("environments", findings.keySet(), "findings", rows));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
