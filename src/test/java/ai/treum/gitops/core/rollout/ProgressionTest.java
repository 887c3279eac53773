package ai.treum.gitops.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.rollout.Rendered.Progressive;
import ai.treum.gitops.model.RolloutPolicy;
import ai.treum.gitops.model.RolloutPolicy.Analysis;
import ai.treum.gitops.model.RolloutPolicy.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgressionTest {

    private static final Check ERRORS = new Check("error-rate", "errors", 0.05, null);
    private static final Check THROUGHPUT = new Check("throughput", "requests", null, 1.0);
    private static final Analysis ANALYSIS = new Analysis("http://prometheus:9090", Duration.ofSeconds(10), 3, 1,
            List.of(ERRORS, THROUGHPUT));
    private static final RolloutPolicy ANALYSED = new RolloutPolicy(List.of(10, 50, 100), Duration.ofSeconds(30),
            Optional.of(ANALYSIS), false);
    private static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    private static Rendered canary() {
        return new Rendered(List.of(), List.of(new Progressive("web", Strategy.CANARY, 3)), Set.of(), List.of(), List.of());
    }

    private static Rendered blueGreen() {
        return new Rendered(List.of(), List.of(new Progressive("web", Strategy.BLUE_GREEN, 1)), Set.of(), List.of(), List.of());
    }

    private static AnalysisRun measured(double errors, double requests, int times) {
        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < times; i++) {
            run = run.measure(Map.of(ERRORS, new QueryResult.Value(errors), THROUGHPUT, new QueryResult.Value(requests)),
                    T0.plusSeconds(10L * i));
        }
        return run;
    }

    @Test
    void withoutAnalysisAHealthyStepAdvancesAndTheLastStepIsDone() {
        RolloutPolicy plain = RolloutPolicy.defaults();
        assertThat(Progression.decide(canary(), plain, 0, T0, AnalysisRun.start(), T0)).isEqualTo(new Progression.Advance(1));
        assertThat(Progression.decide(canary(), plain, 3, T0, AnalysisRun.start(), T0)).isEqualTo(new Progression.Done());
        assertThat(Progression.decide(Rendered.plain(List.of()), plain, 0, T0, AnalysisRun.start(), T0))
                .isEqualTo(new Progression.Done());
    }

    @Test
    void blueGreenKeepsTheOldColourForItsDelay() {
        RolloutPolicy plain = RolloutPolicy.defaults();
        assertThat(Progression.decide(blueGreen(), plain, 1, T0, AnalysisRun.start(), T0.plusSeconds(29)))
                .isInstanceOf(Progression.Wait.class);
        assertThat(Progression.decide(blueGreen(), plain, 1, T0, AnalysisRun.start(), T0.plusSeconds(30)))
                .isEqualTo(new Progression.Done());
    }

    @Test
    void analysisPromotesAfterEnoughGoodMeasurementsAndFailsPastTheLimit() {
        assertThat(Progression.decide(canary(), ANALYSED, 1, T0, measured(0.01, 5, 2), T0)).isEqualTo(new Progression.Measure());
        assertThat(Progression.decide(canary(), ANALYSED, 1, T0, measured(0.01, 5, 3), T0)).isEqualTo(new Progression.Advance(2));

        AnalysisRun oneBad = measured(0.5, 5, 1);
        assertThat(oneBad.verdict(ANALYSIS)).isEqualTo(AnalysisRun.Verdict.RUNNING);
        AnalysisRun twoBad = oneBad.measure(Map.of(ERRORS, new QueryResult.Value(0.01), THROUGHPUT,
                new QueryResult.Value(0.5)), T0.plusSeconds(10));
        assertThat(Progression.decide(canary(), ANALYSED, 1, T0, twoBad, T0)).isEqualTo(new Progression.Fail(
                "analysis failed: throughput: 0.5 < 1.0 (2 of 3 measurements, 2 failed (limit 1))"));
    }

    @Test
    void prometheusDownOrNoDataPausesAndNeverPasses() {
        AnalysisRun run = AnalysisRun.start();
        for (int i = 0; i < 10; i++) {
            run = run.measure(Map.of(ERRORS, new QueryResult.Unavailable("ConnectException")), T0.plusSeconds(10L * i));
        }
        assertThat(run.verdict(ANALYSIS)).isEqualTo(AnalysisRun.Verdict.PAUSED);
        assertThat(run.describe(ANALYSIS)).isEqualTo(
                "analysis paused: Prometheus unavailable: ConnectException (0 of 3 measurements, 0 failed (limit 1), "
                        + "10 unanswered)");
        assertThat(Progression.decide(canary(), ANALYSED, 0, T0, run, T0)).isEqualTo(new Progression.Measure());

        AnalysisRun empty = AnalysisRun.start().measure(Map.of(ERRORS, new QueryResult.NoData()), T0);
        assertThat(empty.describe(ANALYSIS)).startsWith("analysis paused: error-rate: no data");
    }

    @Test
    void measurementsAreDueOncePerInterval() {
        AnalysisRun run = measured(0.01, 5, 1);
        assertThat(AnalysisRun.start().due(ANALYSIS, T0)).isTrue();
        assertThat(run.due(ANALYSIS, T0.plusSeconds(9))).isFalse();
        assertThat(run.due(ANALYSIS, T0.plusSeconds(10))).isTrue();
    }
}
