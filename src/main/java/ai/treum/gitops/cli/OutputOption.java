package ai.treum.gitops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -o text|json|yaml}: a table for people, or the whole answer for scripts, as kubectl does. */
public class OutputOption {

    /** How a command prints what it found. */
    public enum Format {
        text, json, yaml
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    Format format;

    /** Prints {@code answer} as JSON or YAML and says true; says false for text, which the command prints itself. */
    boolean printed(JsonNode answer, PrintWriter out) {
        try {
            switch (format) {
                case json -> out.println(answer.toPrettyString());
                case yaml -> out.print(YAML.writeValueAsString(answer));
                default -> {
                    return false;
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as YAML", e);
        }
        out.flush();
        return true;
    }
}
