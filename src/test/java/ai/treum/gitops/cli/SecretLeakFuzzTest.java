package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.diff.DiffRenderer;
import ai.treum.gitops.core.diff.OwnedFieldsDiff;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Secrets with random values, through every way the daemon words one without a cluster: load
 * errors, the drift diff, the plan's text and the API server's refusals as the daemon repeats them.
 * Each output is searched for each value, plain and base64. (Against a running daemon, its logs,
 * Events, status API, page and metrics are searched by HostileInputTest, the apply path by
 * ServerSideApplyTest.)
 */
class SecretLeakFuzzTest {

    private static final int VALUES = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+=@#%&*!?";

    @Test
    void noRandomSecretValueReachesAnyOutput() throws Exception {
        Random random = new Random(20261206L);
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < VALUES; i++) {
            String value = value(random);
            String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            for (String output : outputs(value, encoded)) {
                if (output.contains(value) || output.contains(encoded)) {
                    leaks.add(value + " in: " + output);
                }
            }
        }
        assertThat(leaks).as("%d random values, each through every output", VALUES).isEmpty();
    }

    private static List<String> outputs(String value, String encoded) throws Exception {
        List<String> outputs = new ArrayList<>();
        // a load error on the value's own line: an unterminated quote, and a tab the scanner refuses
        for (String line : List.of("  password: \"" + value, "  password: '" + value, "\tpassword: " + value)) {
            LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("k/s.yaml", """
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: db
                    stringData:
                    %s
                    """.formatted(line))), "treum-staging");
            if (loaded instanceof LoadResult.Rejected rejected) {
                rejected.errors().forEach(e -> outputs.add(e.toString()));
            }
        }
        // the drift the daemon reports, logs and records: desired and live values differ
        ResourceKey key = new ResourceKey("", "Secret", "treum-staging", "db");
        ObjectNode desired = (ObjectNode) JSON.readTree("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "treum-staging"},
                 "data": {"password": "%s"}}""".formatted(encoded));
        ObjectNode live = (ObjectNode) JSON.readTree("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "treum-staging",
                 "annotations": {"kubectl.kubernetes.io/last-applied-configuration": %s},
                 "managedFields": [{"manager": "treum-gitops/staging", "operation": "Apply", "apiVersion": "v1",
                   "fieldsV1": {"f:data": {"f:password": {}, "f:old": {}}}}]},
                 "data": {"password": "b2xk", "old": "%s"}}""".formatted(JSON.writeValueAsString(
                "{\"stringData\":{\"password\":\"" + value + "\"}}"), encoded));
        outputs.addAll(DiffRenderer.render(new OwnedFieldsDiff("treum-gitops/staging").diff(key, desired, live)));
        // the plan's text of both sides
        outputs.addAll(ObjectText.lines(desired));
        outputs.addAll(ObjectText.lines(live));
        // the API server's refusals, as the daemon repeats them
        outputs.add(Redactions.secretRefusal("failed to create typed patch object (treum-staging/db; /v1, Kind=Secret): "
                + ".stringData.password: expected string, got &value.valueUnstructured{Value:" + value + "}"));
        outputs.add(Redactions.secretRefusal("Secret \"db\" is invalid: data[password]: Invalid value: \"" + value
                + "\": a valid config key must consist of alphanumeric characters"));
        return outputs;
    }

    private static String value(Random random) {
        int length = 6 + random.nextInt(40);
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        // short or plain values could occur in the fixed text by chance; a marker keeps each one unique
        return "Z" + value + "q" + random.nextInt(1_000_000);
    }
}
