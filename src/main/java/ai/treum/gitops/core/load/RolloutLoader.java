package ai.treum.gitops.core.load;

import ai.treum.gitops.model.RolloutPolicy;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code spec.rollout} of an environment.yaml. Pure. */
final class RolloutLoader {

    /**
     * The production guide's own alert thresholds: 5xx responses above 0.05 per second, p95
     * latency above 1 s. No data is never a pass: the error rate is 0 only where requests are
     * counted and none failed; where nothing is counted at all, both queries come back empty and
     * the analysis waits.
     */
    static final List<Check> GUIDE_CHECKS = List.of(
            new Check("error-rate",
                    "sum(rate(api_requests_total{namespace=\"${namespace}\",status=~\"5..\"}[1m]))"
                            + " or sum(rate(api_requests_total{namespace=\"${namespace}\"}[1m])) * 0", 0.05, null),
            new Check("p95-latency", "histogram_quantile(0.95, sum by (le) (rate(api_request_duration_seconds_bucket"
                    + "{namespace=\"${namespace}\"}[5m])))", 1.0, null));

    private RolloutLoader() {
    }

    static RolloutPolicy load(JsonNode rollout, SourceLocation where, List<LoadError> errors) {
        RolloutPolicy defaults = RolloutPolicy.defaults();
        List<Integer> steps = defaults.canarySteps();
        if (rollout.path("canary").has("steps")) {
            steps = steps(rollout.path("canary").path("steps"), where, errors);
        }
        Duration delay = defaults.scaleDownDelay();
        if (rollout.path("blueGreen").has("scaleDownDelay")) {
            delay = duration(rollout.path("blueGreen").path("scaleDownDelay"), "spec.rollout.blueGreen.scaleDownDelay",
                    Durations.Bounds.of(Duration.ZERO, Duration.ofDays(1)), where, errors);
        }
        Optional<Analysis> analysis = rollout.has("analysis")
                ? Optional.ofNullable(analysis(rollout.path("analysis"), where, errors)) : Optional.empty();
        return new RolloutPolicy(steps, delay, analysis, rollout.path("revertCommit").asBoolean(false));
    }

    private static List<Integer> steps(JsonNode node, SourceLocation where, List<LoadError> errors) {
        List<Integer> steps = new ArrayList<>();
        node.forEach(step -> steps.add(step.isInt() ? step.asInt() : -1));
        boolean ascending = true;
        for (int i = 1; i < steps.size(); i++) {
            ascending &= steps.get(i) > steps.get(i - 1);
        }
        if (steps.isEmpty() || !ascending || steps.get(0) < 1 || steps.get(steps.size() - 1) != 100) {
            errors.add(new LoadError(where, "rollout-steps",
                    "spec.rollout.canary.steps must be ascending percentages from 1 ending at 100, found " + node));
        }
        return steps;
    }

    private static Analysis analysis(JsonNode node, SourceLocation where, List<LoadError> errors) {
        String prometheus = node.path("prometheus").asText("");
        if (!prometheus.startsWith("http://") && !prometheus.startsWith("https://") || !validUri(prometheus)) {
            errors.add(new LoadError(where, "rollout-analysis",
                    "spec.rollout.analysis.prometheus must be the http(s) URL of a Prometheus server, found '" + prometheus + "'"));
        }
        Duration interval = node.has("interval")
                ? duration(node.path("interval"), "spec.rollout.analysis.interval",
                        Durations.Bounds.of(Duration.ofSeconds(1), Duration.ofHours(1)), where, errors)
                : Duration.ofSeconds(30);
        int measurements = node.path("measurements").asInt(3);
        int failureLimit = node.path("failureLimit").asInt(0);
        if (measurements < 1 || failureLimit < 0 || failureLimit >= measurements) {
            errors.add(new LoadError(where, "rollout-analysis", "spec.rollout.analysis needs measurements >= 1 and "
                    + "0 <= failureLimit < measurements, found " + measurements + " and " + failureLimit));
        }
        List<Check> checks = new ArrayList<>();
        node.path("checks").forEach(check -> checks.add(check(check, where, errors)));
        return new Analysis(prometheus, interval, measurements, failureLimit, checks.isEmpty() ? GUIDE_CHECKS : checks);
    }

    private static Check check(JsonNode check, SourceLocation where, List<LoadError> errors) {
        String name = check.path("name").asText("");
        String query = check.path("query").asText("");
        Double max = check.path("max").isNumber() ? check.path("max").asDouble() : null;
        Double min = check.path("min").isNumber() ? check.path("min").asDouble() : null;
        if (name.isBlank() || query.isBlank() || max == null && min == null) {
            errors.add(new LoadError(where, "rollout-analysis",
                    "each of spec.rollout.analysis.checks needs a name, a query and a numeric max or min, found " + check));
        }
        return new Check(name, query, max, min);
    }

    private static Duration duration(JsonNode node, String field, Durations.Bounds bounds, SourceLocation where,
            List<LoadError> errors) {
        Durations.Parsed parsed = Durations.parse(node.asText(), bounds);
        if (parsed instanceof Durations.Invalid invalid) {
            errors.add(new LoadError(where, "rollout-duration", field + " " + invalid.reason()));
            return Duration.ZERO;
        }
        return ((Durations.Valid) parsed).value();
    }

    private static boolean validUri(String text) {
        try {
            return URI.create(text).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
