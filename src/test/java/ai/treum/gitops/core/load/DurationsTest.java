package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    private static final Durations.Bounds DAY = Durations.Bounds.of(Duration.ofSeconds(1), Duration.ofDays(1));

    private static Duration valid(String text) {
        Durations.Parsed parsed = Durations.parse(text, Durations.Bounds.of(Duration.ZERO, Duration.ofDays(3650)));
        assertThat(parsed).as(text).isInstanceOf(Durations.Valid.class);
        return ((Durations.Valid) parsed).value();
    }

    private static String invalid(String text, Durations.Bounds bounds) {
        Durations.Parsed parsed = Durations.parse(text, bounds);
        assertThat(parsed).as(text).isInstanceOf(Durations.Invalid.class);
        return ((Durations.Invalid) parsed).reason();
    }

    @Test
    void goSyntaxAsFluxAndKubernetesWriteItWithDaysBeside() {
        assertThat(valid("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(valid("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(valid("5m0s")).isEqualTo(Duration.ofMinutes(5));
        assertThat(valid("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(valid("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(valid("2h45m")).isEqualTo(Duration.ofMinutes(165));
        assertThat(valid("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(valid(".5s")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void hugeValuesAreReasonsNotExceptions() {
        assertThat(invalid("99999999999999999999s", DAY)).contains("longer than 1d");
        assertThat(invalid("999999999999999999d", DAY)).contains("longer than 1d");
        assertThat(invalid("9".repeat(5000) + "h", DAY)).as("a long value is quoted only in part").hasSizeLessThan(120);
        assertThat(invalid("25h", DAY)).isEqualTo("'25h' is longer than 1d");
    }

    @Test
    void zeroNegativeAndOtherSyntaxAreRefused() {
        assertThat(invalid("0s", DAY)).isEqualTo("'0s' is shorter than 1s");
        assertThat(invalid("-5m", DAY)).contains("negative");
        assertThat(invalid("PT5M", DAY)).contains("not a duration");
        assertThat(invalid("5 m", DAY)).contains("not a duration");
        assertThat(invalid("", DAY)).contains("not a duration");
        assertThat(invalid("5", DAY)).as("a unit is required, as in Go").contains("not a duration");
    }

    @Test
    void durationsAreWrittenBackInTheSameSyntax() {
        assertThat(Durations.text(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.text(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.text(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    }
}
