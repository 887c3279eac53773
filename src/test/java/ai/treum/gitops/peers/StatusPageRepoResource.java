package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for the status page: environment {@code storefront} (self-heal off, so drift
 * stays to be seen) with a ConfigMap, a Secret and a Deployment, and a Warn policy that the
 * ConfigMap fails, so the page has a policy result.
 */
public class StatusPageRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String ENVIRONMENT = "storefront";
    public static final String NAMESPACE = "page-storefront";
    public static final String DECLARED_PASSWORD = "git-declared-password-51c7";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-page", tree -> {
                Path dir = FixtureRepo.environment(tree, ENVIRONMENT, NAMESPACE,
                        "sync: {auto: true, selfHeal: false, interval: 10m}");
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
                        data:
                          MODE: blue
                        ---
                        apiVersion: v1
                        kind: Secret
                        metadata:
                          name: credentials
                        stringData:
                          password: %s
                        ---
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                        spec:
                          replicas: 2
                          selector:
                            matchLabels: {app: web}
                          template:
                            metadata:
                              labels: {app: web}
                            spec:
                              containers:
                                - name: web
                                  image: registry.treum.ai/treum/web:1.0.0
                        """.formatted(NAMESPACE, DECLARED_PASSWORD));
                Path policies = Files.createDirectories(tree.resolve("policies"));
                Files.writeString(policies.resolve("team-label.yaml"), """
                        apiVersion: admissionregistration.k8s.io/v1
                        kind: ValidatingAdmissionPolicy
                        metadata:
                          name: team-label
                        spec:
                          matchConstraints:
                            resourceRules:
                              - apiGroups: [""]
                                apiVersions: [v1]
                                operations: [CREATE, UPDATE]
                                resources: [configmaps]
                          validations:
                            - expression: has(object.metadata.labels) && 'team' in object.metadata.labels
                              message: every ConfigMap names its team in the label team
                        ---
                        apiVersion: admissionregistration.k8s.io/v1
                        kind: ValidatingAdmissionPolicyBinding
                        metadata:
                          name: team-label
                        spec:
                          policyName: team-label
                          validationActions: [Warn]
                        """);
            });
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // a temporary folder; nothing runs
    }
}
