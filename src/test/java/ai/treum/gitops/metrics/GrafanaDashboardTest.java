package ai.treum.gitops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/grafana-dashboard.json: every panel's query is PromQL Prometheus accepts (promtool, as a
 * recording rule) and names only metrics the daemon exports.
 */
@Tag("peer")
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("treum_gitops_[a-z_]+");

    @TempDir
    Path tmp;

    private static List<String> queries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("k8s/grafana-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        return queries;
    }

    /** The names GitopsMetrics registers, as Prometheus sees them: counters with _total, timers with _seconds. */
    private static Set<String> exported() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : GitopsMetrics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.get(null) instanceof String name && name.startsWith("treum_gitops_")) {
                names.add(name);
                names.add(name + "_total");
                names.add(name + "_seconds_bucket");
            }
        }
        return names;
    }

    @Test
    void everyQueryIsValidPromqlOnExportedMetrics() throws Exception {
        List<String> queries = queries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        Set<String> exported = exported();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            Matcher names = METRIC.matcher(queries.get(i));
            while (names.find()) {
                assertThat(exported).as(queries.get(i)).contains(names.group());
            }
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(queries.get(i).replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(tmp.resolve("dashboard-rules.yaml"), rules);
        Process promtool = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS: " + queries.size() + " rules found");
    }
}
