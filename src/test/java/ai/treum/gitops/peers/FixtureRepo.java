package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** A local repository of desired state that a test writes files into and commits on {@code main}. */
public final class FixtureRepo {

    /** Files to write into the work tree before a commit. */
    @FunctionalInterface
    public interface Writer {
        void write(Path workTree) throws IOException;
    }

    private FixtureRepo() {
    }

    /** A new repository in a temporary folder, with one commit of what {@code files} writes. */
    public static Path create(String prefix, Writer files) throws IOException, GitAPIException {
        Path work = Files.createTempDirectory(prefix);
        try (Git ignored = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            commit(work, "fixtures", files);
        }
        return work;
    }

    /** Writes, then commits every change, deletions too. */
    public static void commit(Path work, String message, Writer files) throws IOException, GitAPIException {
        files.write(work);
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.add().setUpdate(true).addFilepattern(".").call();
            git.commit().setMessage(message).setAuthor("test", "test@treum.ai").setCommitter("test", "test@treum.ai")
                    .call();
        }
    }

    /**
     * Writes {@code environments/<name>/environment.yaml} with its namespace and these further
     * lines of its spec (YAML, one setting each), and returns its kubernetes/ folder, created.
     */
    public static Path environment(Path work, String name, String namespace, String... spec) throws IOException {
        Path dir = Files.createDirectories(work.resolve("environments/" + name + "/kubernetes"));
        Files.writeString(dir.getParent().resolve("environment.yaml"), environmentYaml(name, namespace, spec));
        return dir;
    }

    /** An environment.yaml: its name, its namespace (line 6), then these lines of its spec, one setting each. */
    public static String environmentYaml(String name, String namespace, String... spec) {
        StringBuilder text = new StringBuilder("apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\nmetadata:\n  name: ")
                .append(name).append("\nspec:\n  namespace: ").append(namespace).append('\n');
        for (String line : spec) {
            text.append("  ").append(line).append('\n');
        }
        return text.toString();
    }

    /** The YAML of a Namespace and, in it, the ConfigMap {@code settings} whose VERSION is {@code version}. */
    public static String namespaceWithSettings(String namespace, String version) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  VERSION: "%s"
                """.formatted(namespace, version);
    }

    /**
     * Writes {@code policies/<name>.yaml}: a ValidatingAdmissionPolicy with one validation on a
     * core-group resource ({@code configmaps}), and its binding with one action (Deny, Warn, Audit).
     */
    public static void policy(Path work, String name, String resource, String expression, String message,
            String action) throws IOException {
        Files.writeString(Files.createDirectories(work.resolve("policies")).resolve(name + ".yaml"),
                policyText(name, resource, expression, message, action));
    }

    /** The text of {@link #policy}'s file. */
    public static String policyText(String name, String resource, String expression, String message, String action) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: %1$s
                spec:
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [""]
                        apiVersions: [v1]
                        operations: [CREATE, UPDATE]
                        resources: [%2$s]
                  validations:
                    - expression: "%3$s"
                      message: %4$s
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: %1$s
                spec:
                  policyName: %1$s
                  validationActions: [%5$s]
                """.formatted(name, resource, expression.replace("\"", "\\\""), message, action);
    }

    /** The commit at the tip of {@code main}. */
    public static String head(Path work) throws IOException {
        try (Git git = Git.open(work.toFile())) {
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }
}
