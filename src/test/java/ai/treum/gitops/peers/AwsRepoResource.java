package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The desired state for AWS drift tests: environment {@code cloud} (namespace {@code aws-cloud}),
 * in enforce mode with a two-second interval, declaring an RDS instance and a Secrets Manager secret.
 */
public class AwsRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "aws-cloud";

    @Override
    public Map<String, String> start() {
        try {
            Path work = FixtureRepo.create("treum-gitops-aws", AwsRepoResource::write);
            return Map.of("treum-gitops.git.url", work.toUri().toString(), "treum-gitops.git.branch", "main");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path work) throws IOException {
        Path dir = FixtureRepo.environment(work, "cloud", NAMESPACE, "sync: {auto: true, interval: 10m}",
                "aws: {region: us-east-1, mode: enforce, interval: 2s, applyImmediately: true}");
        Files.writeString(dir.resolve("namespace.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(NAMESPACE));
        Path aws = Files.createDirectories(dir.getParent().resolve("aws"));
        Files.writeString(aws.resolve("resources.yaml"), """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: RdsInstance
                metadata:
                  name: cloud-db
                spec:
                  engine: postgres
                  instanceClass: db.t3.large
                  allocatedStorage: 100
                  multiAZ: true
                ---
                apiVersion: gitops.treum.ai/v1alpha1
                kind: SecretsManagerSecret
                metadata:
                  name: cloud-api
                spec:
                  secretName: cloud/api
                  description: the API's credentials
                """);
    }

    @Override
    public void stop() {
        // temporary folders; nothing runs
    }
}
