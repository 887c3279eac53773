package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The desired state for AWS drift tests: environment {@code cloud} (namespace {@code aws-cloud}),
 * in enforce mode with a two-second interval, declaring an RDS instance and a Secrets Manager secret.
 */
public class AwsRepoResource extends FixtureRepoResource {

    public static final String NAMESPACE = "aws-cloud";

    public AwsRepoResource() {
        super(null);
    }

    @Override
    protected void files(Path tree) throws IOException {
        write(tree);
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
}
