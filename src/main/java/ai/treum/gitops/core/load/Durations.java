package ai.treum.gitops.core.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of environments/: Go's, as Flux and Kubernetes write durations
 * ({@code 90s}, {@code 1m30s}, {@code 5m0s}, {@code 1.5h}, {@code 300ms}), plus {@code d} for
 * 24 hours, as retention periods are usually written. Each field has bounds; a value outside them,
 * zero where zero means nothing, or no duration at all is a reason, never an exception. Pure.
 */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d)");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ns", BigDecimal.ONE,
            "us", BigDecimal.valueOf(1_000L),
            "µs", BigDecimal.valueOf(1_000L),
            "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L),
            "d", BigDecimal.valueOf(86_400_000_000_000L));
    /** Longer than any field allows, short of what a long can count in nanoseconds. */
    private static final BigDecimal LONGEST = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /** What a field accepts: from {@code min} to {@code max}, both included. */
    public record Bounds(Duration min, Duration max) {

        public static Bounds of(Duration min, Duration max) {
            return new Bounds(min, max);
        }
    }

    /** A duration read from text: the value, or why the text is not one this field takes. */
    public sealed interface Parsed {
    }

    public record Valid(Duration value) implements Parsed {
    }

    public record Invalid(String reason) implements Parsed {
    }

    public static Parsed parse(String text, Bounds bounds) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.startsWith("-")) {
            return new Invalid("'" + abbreviated(trimmed) + "' is negative");
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            return new Invalid("'" + abbreviated(trimmed) + "' is not a duration like 90s, 1m30s, 5m or 26h");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1).endsWith(".") ? part.group(1) + "0" : part.group(1))
                    .multiply(NANOS.get(part.group(2))));
            if (nanos.compareTo(LONGEST) > 0) {
                return new Invalid("'" + abbreviated(trimmed) + "' is longer than " + text(bounds.max()));
            }
        }
        Duration value = Duration.ofNanos(nanos.longValue());
        if (value.compareTo(bounds.max()) > 0) {
            return new Invalid("'" + abbreviated(trimmed) + "' is longer than " + text(bounds.max()));
        }
        if (value.compareTo(bounds.min()) < 0) {
            return new Invalid("'" + abbreviated(trimmed) + "' is shorter than " + text(bounds.min()));
        }
        return new Valid(value);
    }

    /** A duration as this syntax writes it: 90s, 1h30m, 30d. */
    public static String text(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long days = duration.toDays();
        if (days > 0 && duration.equals(Duration.ofDays(days))) {
            return days + "d";
        }
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        if (millis > 0) {
            text.append(millis).append("ms");
        }
        return text.length() == 0 ? duration.toNanos() + "ns" : text.toString();
    }

    /** Hostile input can be long: an error quotes at most its start. */
    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
