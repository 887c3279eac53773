package ai.treum.gitops.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.schema.OpenApi;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.TestNamespace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our offline decision must equal the API server's. The bundled policies that admission can
 * evaluate (those about core workload kinds, without params) are loaded into the real
 * kube-apiserver, bound to this class's namespace only, and every object of the corpus is
 * created there with dry-run. Any object the two judge differently is a bug in our engine.
 */
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class AdmissionAgreementTest {

    private static final Path FIXTURES = Path.of("src/test/resources/policies");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<GenericKubernetesResource> loaded = new ArrayList<>();
    private static PolicySet policies;

    /** The admission-evaluable bundled policies, with bindings narrowed to one namespace, as YAML files. */
    @BeforeAll
    static void loadPolicies(KubernetesClient client, TestNamespace namespace) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (SourceFile file : BundledPolicies.files()) {
            List<ObjectNode> documents = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(file.content())) {
                YAML.readValues(parser, ObjectNode.class).forEachRemaining(documents::add);
            }
            if (!admissionCanEvaluate(documents)) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (ObjectNode document : documents) {
                if (document.path("kind").asText().endsWith("Binding")) {
                    ((ObjectNode) document.path("spec")).putObject("matchResources").putObject("namespaceSelector")
                            .putObject("matchLabels").put("kubernetes.io/metadata.name", namespace.name());
                }
                text.append("---\n").append(YAML.writeValueAsString(document));
                GenericKubernetesResource resource = JSON.convertValue(document, GenericKubernetesResource.class);
                loaded.add(client.resource(resource).create());
            }
            files.add(new SourceFile(file.path(), text.toString()));
        }
        PolicySet.Compiled compiled = PolicySet.compile(files);
        assertThat(compiled.errors()).isEmpty();
        policies = compiled.policies();
        assertThat(policies.size()).isEqualTo(9);

        // the API server enforces a binding once its informers have both objects: wait until every one denies
        for (String policy : loaded.stream().filter(r -> r.getKind().endsWith("Policy")).map(r -> r.getMetadata().getName())
                .toList()) {
            DesiredResource failing = BundledPolicies.objects(FIXTURES.resolve(policy).resolve("fail.yaml"),
                    namespace.name()).get(0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> apiServer(client, namespace, failing).denied());
        }
    }

    @AfterAll
    static void unloadPolicies(KubernetesClient client) {
        loaded.forEach(r -> client.resource(r).delete());
    }

    @Test
    void everyObjectOfTheCorpusIsJudgedAsTheApiServerJudgesIt(KubernetesClient client, TestNamespace namespace) {
        List<DesiredResource> corpus = new ArrayList<>(BundledPolicies.objects(FIXTURES.resolve("admission-corpus.yaml"),
                namespace.name()));
        for (GenericKubernetesResource r : loaded) {
            if (r.getKind().endsWith("Policy")) {
                for (String fixture : List.of("pass.yaml", "fail.yaml")) {
                    corpus.addAll(BundledPolicies.objects(FIXTURES.resolve(r.getMetadata().getName()).resolve(fixture),
                            namespace.name()));
                }
            }
        }
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);

        Map<String, String> disagreements = new LinkedHashMap<>();
        int denied = 0;
        for (DesiredResource object : corpus) {
            // as validate and the daemon see it: with the defaults the shipped OpenAPI documents declare
            PolicyReport ours = policies.evaluate("agreement", Subjects.of(List.of(object), OpenApi.shipped()::presented));
            Verdict theirs = apiServer(client, namespace, object);
            if (ours.denied() != theirs.denied()) {
                disagreements.put(object.key().toString(), "ours: " + ours.denials() + "; API server: " + theirs.message());
            } else if (theirs.denied()) {
                denied++;
                Set<String> ourPolicies = ours.denials().stream().map(PolicyFinding::policy).collect(Collectors.toSet());
                if (ourPolicies.stream().noneMatch(p -> theirs.message().contains("'" + p + "'"))) {
                    disagreements.put(object.key().toString(), "denied by other policies: ours " + ourPolicies
                            + "; API server: " + theirs.message());
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(denied).as("denied objects").isBetween(20, corpus.size() - 20);
    }

    private static boolean admissionCanEvaluate(List<ObjectNode> documents) {
        return documents.stream().filter(d -> d.path("kind").asText().equals("ValidatingAdmissionPolicy"))
                .allMatch(d -> !d.path("spec").has("paramKind") && !d.path("spec").path("matchConstraints")
                        .path("resourceRules").findValuesAsText("apiGroups").contains("gitops.treum.ai")
                        && !d.toString().contains("gitops.treum.ai\""));
    }

    private record Verdict(boolean denied, String message) {
    }

    private static Verdict apiServer(KubernetesClient client, TestNamespace namespace, DesiredResource object) {
        JsonNode body = object.body();
        GenericKubernetesResource resource = JSON.convertValue(body, GenericKubernetesResource.class);
        try {
            client.resource(resource).inNamespace(namespace.name()).dryRun().create();
            return new Verdict(false, "allowed");
        } catch (KubernetesClientException e) {
            if (e.getMessage().contains("ValidatingAdmissionPolicy")) {
                return new Verdict(true, e.getMessage());
            }
            throw new AssertionError(object.key() + " is not a valid object: " + e.getStatus().getMessage());
        }
    }
}
