package ai.treum.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/environments.md's table of the deployment guide's values against the bundled manifests:
 * every row's field holds (in the object as kustomize renders it, for kubernetes/) the value the row calls ours, and ours is the guide's unless the row
 * says why not.
 */
class EnvironmentsMatchGuideTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

    private record Row(String setting, String file, String field, String guide, String ours, String why) {
    }

    @Test
    @Tag("peer")
    void everyRowOfTheTableHoldsInTheManifests() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
        for (Row row : rows) {
            String[] field = row.field().split(" ", 2);
            JsonNode value = walk(row.file().endsWith("/kubernetes") ? rendered(row.file(), field[0])
                    : document(Path.of(row.file()), field[0]), field[1]);
            assertThat(value.isMissingNode()).as(row.setting() + ": " + row.field() + " in " + row.file()).isFalse();
            assertThat(value.asText()).as(row.setting()).isEqualTo(row.ours());
            if (row.why().isEmpty()) {
                assertThat(row.ours()).as(row.setting() + " differs from the guide without a reason").isEqualTo(row.guide());
            }
        }
    }

    private static List<Row> rows() throws IOException {
        return Files.readAllLines(Path.of("docs/environments.md")).stream()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| setting"))
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split(" \\|", -1)).map(String::strip).toList())
                .map(c -> new Row(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))).toList();
    }

    /** The object {@code Kind/name} as the environment of {@code environments/<name>/kubernetes} renders it. */
    private static JsonNode rendered(String folder, String kindAndName) {
        String[] id = kindAndName.split("/", 2);
        String environment = Path.of(folder).getParent().getFileName().toString();
        return BundledPolicies.environment(environment).kubernetes().stream()
                .filter(r -> r.key().kind().equals(id[0]) && r.key().name().equals(id[1])).findFirst()
                .map(DesiredResource::body).orElseThrow(() -> new AssertionError(folder + " renders no " + kindAndName));
    }

    /** The document of the file whose kind and name are {@code Kind/name}. */
    private static JsonNode document(Path file, String kindAndName) throws IOException {
        String[] id = kindAndName.split("/", 2);
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (id[0].equals(document.path("kind").asText()) && id[1].equals(document.path("metadata").path("name").asText())) {
                    return document;
                }
            }
        }
        throw new AssertionError(file + " declares no " + kindAndName);
    }

    /** A path such as {@code spec.template.spec.containers[0].livenessProbe.httpGet.path}. */
    private static JsonNode walk(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            Matcher parts = STEP.matcher(part);
            while (parts.find()) {
                at = parts.group(1) != null ? at.path(parts.group(1)) : at.path(Integer.parseInt(parts.group(2)));
            }
        }
        return at;
    }
}
