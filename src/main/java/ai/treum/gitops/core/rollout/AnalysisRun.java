package ai.treum.gitops.core.rollout;

import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One analysis of a rollout step: a measurement every interval, each one every check's query.
 * A measurement fails when a value is out of bounds; more failures than the limit fail the
 * analysis, enough measurements within it pass it. When Prometheus cannot be asked, or a query
 * has no data, the measurement does not count and the analysis is paused, never passed. Pure.
 *
 * @param lastFailure the latest failed check, as {@code name: value > max}
 * @param paused      why the latest measurement did not count; null when it did
 * @param unanswered  measurements that did not count, so far: a paused analysis that is still asking counts up
 */
public record AnalysisRun(Instant lastMeasured, int measured, int failed, String lastFailure, String paused,
        int unanswered) {

    public enum Verdict { RUNNING, PAUSED, PASSED, FAILED }

    public static AnalysisRun start() {
        return new AnalysisRun(null, 0, 0, null, null, 0);
    }

    public boolean due(Analysis analysis, Instant now) {
        return lastMeasured == null || !now.isBefore(lastMeasured.plus(analysis.interval()));
    }

    /** The run after one measurement: each check with what its query gave. */
    public AnalysisRun measure(Map<Check, QueryResult> results, Instant now) {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Check, QueryResult> entry : results.entrySet()) {
            Check check = entry.getKey();
            QueryResult result = entry.getValue();
            if (result instanceof QueryResult.Unavailable unavailable) {
                return new AnalysisRun(now, measured, failed, lastFailure, "Prometheus unavailable: " + unavailable.reason(),
                        unanswered + 1);
            }
            if (!(result instanceof QueryResult.Value value)) {
                return new AnalysisRun(now, measured, failed, lastFailure, check.name() + ": no data", unanswered + 1);
            }
            if (check.max() != null && value.value() > check.max()) {
                failures.add(check.name() + ": " + value.value() + " > " + check.max());
            } else if (check.min() != null && value.value() < check.min()) {
                failures.add(check.name() + ": " + value.value() + " < " + check.min());
            }
        }
        return failures.isEmpty() ? new AnalysisRun(now, measured + 1, failed, lastFailure, null, unanswered)
                : new AnalysisRun(now, measured + 1, failed + 1, String.join("; ", failures), null, unanswered);
    }

    public Verdict verdict(Analysis analysis) {
        if (failed > analysis.failureLimit()) {
            return Verdict.FAILED;
        }
        if (measured >= analysis.measurements()) {
            return Verdict.PASSED;
        }
        return paused != null ? Verdict.PAUSED : Verdict.RUNNING;
    }

    /** One line for the status API and the rollback reason. */
    public String describe(Analysis analysis) {
        String counts = measured + " of " + analysis.measurements() + " measurements, " + failed + " failed (limit "
                + analysis.failureLimit() + ")";
        return switch (verdict(analysis)) {
            case FAILED -> "analysis failed: " + lastFailure + " (" + counts + ")";
            case PASSED -> "analysis passed (" + counts + ")";
            case PAUSED -> "analysis paused: " + paused + " (" + counts + ", " + unanswered + " unanswered)";
            case RUNNING -> "analysis running (" + counts + ")";
        };
    }
}
