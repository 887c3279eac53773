package ai.treum.gitops.adapter.aws;

import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.peers.SeedAws;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.util.FileUtils;

/**
 * Creates declared AWS resources in moto_server exactly as declared, as someone would by hand:
 * written as an environment's {@code aws/} files and created by {@code scripts/seed-aws.py}, the
 * same script the local run seeds moto with.
 */
final class MotoResources {

    /** The environment the records created here are marked as: the bundled production's, as the tests declare it. */
    static final String MARKED_AS = "production";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MotoResources() {
    }

    static void create(URI moto, String region, List<AwsResource> declared) {
        try {
            Path environments = Files.createTempDirectory("treum-gitops-moto").resolve("environments");
            Path aws = Files.createDirectories(environments.resolve(MARKED_AS).resolve("aws"));
            Files.writeString(environments.resolve(MARKED_AS).resolve("environment.yaml"),
                    YAML.writeValueAsString(Map.of("spec", Map.of("aws", Map.of("region", region)))));
            StringBuilder documents = new StringBuilder();
            for (AwsResource r : declared) {
                documents.append(YAML.writeValueAsString(Map.of("apiVersion", "gitops.treum.ai/v1alpha1",
                        "kind", r.kind(), "metadata", Map.of("name", r.name()), "spec", spec(r))));
            }
            Files.writeString(aws.resolve("declared.yaml"), documents);
            SeedAws.seed(moto, environments);
            FileUtils.delete(environments.getParent().toFile(), FileUtils.RECURSIVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resource's spec: its fields, and the identity fields its id holds (the inverse of how AwsResources makes the id). */
    private static Map<String, Object> spec(AwsResource r) {
        Map<String, Object> spec = new LinkedHashMap<>(r.fields());
        switch (r.kind()) {
            case "SecretsManagerSecret" -> spec.put("secretName", r.id());
            case "EksNodegroup" -> spec.put("cluster", r.id().substring(0, r.id().indexOf('/')));
            case "Route53RecordSet" -> {
                String[] id = r.id().split("/");
                spec.putAll(Map.of("zone", id[0], "name", id[1], "type", id[2]));
            }
            default -> {
                // the id is the name
            }
        }
        return spec;
    }
}
