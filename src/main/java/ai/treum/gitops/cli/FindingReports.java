package ai.treum.gitops.cli;

import ai.treum.gitops.core.load.LoadError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Findings in the formats CI systems read: JUnit XML (one suite per environment) and SARIF 2.1.0. */
final class FindingReports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FindingReports() {
    }

    static String junit(Map<String, List<LoadError>> findings) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"treum-gitops validate\">\n");
        findings.forEach((env, errors) -> {
            xml.append("  <testsuite name=\"").append(escape(env)).append("\" tests=\"").append(Math.max(1, errors.size()))
                    .append("\" failures=\"").append(errors.size()).append("\">\n");
            if (errors.isEmpty()) {
                xml.append("    <testcase classname=\"").append(escape(env)).append("\" name=\"valid\"/>\n");
            }
            for (LoadError e : errors) {
                xml.append("    <testcase classname=\"").append(escape(env)).append("\" name=\"")
                        .append(escape(e.location().toString())).append("\">\n      <failure type=\"")
                        .append(escape(e.rule())).append("\" message=\"").append(escape(e.message())).append("\">")
                        .append(escape(e.toString())).append("</failure>\n    </testcase>\n");
            }
            xml.append("  </testsuite>\n");
        });
        return xml.append("</testsuites>").toString();
    }

    static String sarif(Map<String, List<LoadError>> findings) {
        ObjectNode log = JSON.createObjectNode();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "treum-gitops validate");
        ArrayNode rules = driver.putArray("rules");
        new TreeSet<>(findings.values().stream().flatMap(List::stream).map(LoadError::rule).toList())
                .forEach(rule -> rules.addObject().put("id", rule));
        ArrayNode results = run.putArray("results");
        findings.values().stream().flatMap(List::stream).forEach(e -> {
            ObjectNode result = results.addObject();
            result.put("ruleId", e.rule());
            result.put("level", "error");
            result.putObject("message").put("text", e.message());
            ObjectNode location = result.putArray("locations").addObject().putObject("physicalLocation");
            location.putObject("artifactLocation").put("uri", e.location().file());
            location.putObject("region").put("startLine", e.location().line());
        });
        try {
            return JSON.writeValueAsString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
