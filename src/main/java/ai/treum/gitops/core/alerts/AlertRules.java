package ai.treum.gitops.core.alerts;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The structural check of an environment's alert rules ({@code alerts/*.yaml}, PrometheusRule
 * objects of {@value #API_VERSION}) and their rendering as Prometheus rule files. It finds what
 * Prometheus would load silently or reject late: no groups, a group without a name or rules, a
 * group name or alert name used twice, a rule that is both or neither alert and recording rule,
 * an empty expression, a malformed duration, an alert without a severity of critical, warning or
 * info, or without a summary and description. PromQL itself is for promtool. Pure.
 */
public final class AlertRules {

    public static final String API_VERSION = "monitoring.coreos.com/v1";
    public static final String KIND = "PrometheusRule";
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** The rule files, or the errors that keep every one of them out. */
    public record Checked(List<RuleFile> files, List<LoadError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private AlertRules() {
    }

    public static Checked check(List<DesiredResource> rules) {
        List<LoadError> errors = new ArrayList<>();
        List<RuleFile> files = new ArrayList<>();
        Map<String, String> groupsSeen = new HashMap<>();
        Map<String, String> alertsSeen = new HashMap<>();
        for (DesiredResource rule : rules) {
            if (!API_VERSION.equals(rule.apiVersion()) || !KIND.equals(rule.key().kind())) {
                errors.add(error(rule, "alert-kind", "alerts/ holds only PrometheusRule objects of " + API_VERSION));
                continue;
            }
            JsonNode groups = rule.body().path("spec").path("groups");
            if (!groups.isArray() || groups.isEmpty()) {
                errors.add(error(rule, "alert-groups", "spec.groups must list at least one group"));
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                names.add(group(rule, groups.get(g), "spec.groups[" + g + "]", groupsSeen, alertsSeen, errors));
            }
            files.add(new RuleFile(rule, rule.key().name() + ".yaml", render(groups), names));
        }
        return new Checked(errors.isEmpty() ? files : List.of(), errors);
    }

    private static String group(DesiredResource rule, JsonNode group, String path, Map<String, String> groupsSeen,
            Map<String, String> alertsSeen, List<LoadError> errors) {
        String name = group.path("name").asText("");
        if (name.isBlank()) {
            errors.add(error(rule, "alert-group-name", path + " has no name"));
        } else if (groupsSeen.putIfAbsent(name, rule.key().toString()) != null) {
            errors.add(error(rule, "alert-group-name", path + " " + name + " is also a group of " + groupsSeen.get(name)));
        }
        if (group.has("interval") && !DURATION.matcher(group.path("interval").asText()).matches()) {
            errors.add(error(rule, "alert-duration", path + ".interval " + group.path("interval").asText()
                    + " is not a duration like 30s"));
        }
        JsonNode rules = group.path("rules");
        if (!rules.isArray() || rules.isEmpty()) {
            errors.add(error(rule, "alert-rules", path + (name.isBlank() ? "" : " " + name) + " has no rules"));
            return name;
        }
        for (int r = 0; r < rules.size(); r++) {
            rule(rule, rules.get(r), path + ".rules[" + r + "]", alertsSeen, errors);
        }
        return name;
    }

    private static void rule(DesiredResource source, JsonNode rule, String path, Map<String, String> alertsSeen,
            List<LoadError> errors) {
        boolean alert = rule.hasNonNull("alert");
        boolean record = rule.hasNonNull("record");
        String name = alert ? rule.path("alert").asText() : rule.path("record").asText("");
        String where = path + (name.isBlank() ? "" : " " + name);
        if (alert == record) {
            errors.add(error(source, "alert-rule", where + " must have exactly one of alert and record"));
            return;
        }
        if (rule.path("expr").asText("").isBlank()) {
            errors.add(error(source, "alert-expr", where + " has no expr"));
        }
        if (rule.has("for") && !DURATION.matcher(rule.path("for").asText()).matches()) {
            errors.add(error(source, "alert-duration", where + " for " + rule.path("for").asText()
                    + " is not a duration like 5m"));
        }
        if (record) {
            if (!METRIC_NAME.matcher(name).matches()) {
                errors.add(error(source, "alert-record", where + " is not a valid metric name"));
            }
            return;
        }
        if (alertsSeen.putIfAbsent(name, source.key().toString()) != null) {
            errors.add(error(source, "alert-duplicate", where + " is also an alert of " + alertsSeen.get(name)));
        }
        String severity = rule.path("labels").path("severity").asText("");
        if (!SEVERITIES.contains(severity)) {
            errors.add(error(source, "alert-labels", where + " needs label severity: critical, warning or info"
                    + (severity.isEmpty() ? "" : ", found " + severity)));
        }
        for (String annotation : List.of("summary", "description")) {
            if (rule.path("annotations").path(annotation).asText("").isBlank()) {
                errors.add(error(source, "alert-annotations", where + " needs annotation " + annotation));
            }
        }
    }

    private static String render(JsonNode groups) {
        ObjectNode file = YAML.createObjectNode();
        file.set("groups", groups);
        try {
            return YAML.writeValueAsString(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed rule cannot fail to print", e);
        }
    }

    private static LoadError error(DesiredResource rule, String code, String message) {
        return new LoadError(rule.source(), code, rule.key() + ": " + message);
    }
}
