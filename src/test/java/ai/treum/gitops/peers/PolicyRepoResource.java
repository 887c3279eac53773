package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for policy-gate tests: environment {@code gated} (namespace
 * {@code policy-gated}) with a ConfigMap and a Deployment, and two policies: {@code replica-floor}
 * (Deny: a Deployment runs at least two replicas) and {@code team-label} (Warn: a ConfigMap names
 * its team). The repository's path is in the system property {@link #REPO_PROPERTY}.
 */
public class PolicyRepoResource extends FixtureRepoResource {

    public static final String REPO_PROPERTY = "treum.test.policy-repo";
    public static final String NAMESPACE = "policy-gated";

    public PolicyRepoResource() {
        super(REPO_PROPERTY);
    }

    @Override
    protected void files(Path tree) throws IOException {
        writePolicies(tree);
        write(tree, "v1", 2, true);
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s");
    }

    /** The environment at one version: the ConfigMap's VERSION, the Deployment's replicas, the team label or not. */
    public static void write(Path work, String version, int replicas, boolean teamLabel) throws IOException {
        Path dir = FixtureRepo.environment(work, "gated", NAMESPACE, "sync: {auto: true, interval: 10m}");
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
                  VERSION: %s
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: web
                          image: registry.treum.ai/web:1.0
                """.formatted(NAMESPACE, teamLabel ? "team: payments" : "", version, replicas));
    }

    private static void writePolicies(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("policies"));
        Files.writeString(dir.resolve("replica-floor.yaml"), """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata:
                  name: replica-floor
                spec:
                  matchConstraints:
                    resourceRules:
                      - apiGroups: [apps]
                        apiVersions: [v1]
                        operations: [CREATE, UPDATE]
                        resources: [deployments]
                  validations:
                    - expression: object.spec.replicas >= 2
                      messageExpression: "'runs ' + string(object.spec.replicas) + ' replica(s); at least 2 are required'"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata:
                  name: replica-floor
                spec:
                  policyName: replica-floor
                  validationActions: [Deny]
                """);
        writeTeamLabelPolicy(work);
    }

    /** Writes {@code policies/team-label.yaml}: every ConfigMap must carry the label team (Warn). */
    public static void writeTeamLabelPolicy(Path work) throws IOException {
        FixtureRepo.policy(work, "team-label", "configmaps",
                "has(object.metadata.labels) && 'team' in object.metadata.labels",
                "every ConfigMap names its team in the label team", "Warn");
    }
}
