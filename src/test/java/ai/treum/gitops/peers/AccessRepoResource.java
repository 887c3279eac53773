package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for the API's authorization tests: environment {@code guarded} (namespace
 * {@code access-guarded}), with auto-sync off, so only an authorized caller's sync applies it.
 * Reads are authenticated as they are by default. The repository's path is in the system
 * property {@link #REPO_PROPERTY}.
 */
public class AccessRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String REPO_PROPERTY = "treum.test.access-repo";
    public static final String NAMESPACE = "access-guarded";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-access", tree -> write(tree, "v1", true));
            System.setProperty(REPO_PROPERTY, work.toString());
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.api.authenticate-reads", "true");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment at one version; {@code legacy} labels its ConfigMap {@code tier: legacy}. */
    public static void write(Path work, String version, boolean legacy) throws IOException {
        Path dir = FixtureRepo.environment(work, "guarded", NAMESPACE, "sync: {auto: false, interval: 10m}");
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  labels: {%s}
                data:
                  VERSION: "%s"
                """.formatted(NAMESPACE, legacy ? "tier: legacy" : "", version));
    }

    /** Writes {@code policies/no-legacy.yaml}: no ConfigMap may be labelled {@code tier: legacy} (Deny). */
    public static void writeNoLegacyPolicy(Path work) throws IOException {
        Files.writeString(Files.createDirectories(work.resolve("policies")).resolve("no-legacy.yaml"), """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: no-legacy
                spec:
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [""]
                        apiVersions: [v1]
                        operations: [CREATE, UPDATE]
                        resources: [configmaps]
                  validations:
                    - expression: "!has(object.metadata.labels) || !('tier' in object.metadata.labels) || object.metadata.labels['tier'] != 'legacy'"
                      message: the legacy tier is retired
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: no-legacy
                spec:
                  policyName: no-legacy
                  validationActions: [Deny]
                """);
    }

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
