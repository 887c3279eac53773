package ai.treum.gitops.core.rollout;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an environment's progressive rollout stands, kept as marks beside its inventory so a
 * restart resumes it: the revision being rolled out, the step reached and since when, and which
 * colour each blue-green workload's Service points at between rollouts.
 *
 * @param target the revision being rolled out; empty when none is
 * @param colors blue-green workload name → its active colour
 */
public record RolloutState(String target, int step, Instant since, Map<String, String> colors) {

    public static final String TARGET = "rollout-revision";
    public static final String STEP = "rollout-step";
    public static final String SINCE = "rollout-step-since";
    public static final String COLORS = "active-colors";

    public RolloutState {
        colors = Map.copyOf(colors);
    }

    /** The state as the marks hold it; missing or unreadable values mean no rollout. */
    public static RolloutState of(Map<String, String> marks) {
        Map<String, String> colors = new TreeMap<>();
        for (String pair : marks.getOrDefault(COLORS, "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                colors.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        try {
            return new RolloutState(marks.getOrDefault(TARGET, ""), Integer.parseInt(marks.getOrDefault(STEP, "0")),
                    Instant.parse(marks.getOrDefault(SINCE, Instant.EPOCH.toString())), colors);
        } catch (RuntimeException unreadable) {
            return new RolloutState("", 0, Instant.EPOCH, colors);
        }
    }

    /** The step of the rollout of {@code revision}: 0 until this revision's rollout has advanced. */
    public int stepOf(String revision) {
        return revision.equals(target) ? step : 0;
    }

    /** The active colour of a blue-green workload; blue before its first rollout. */
    public String color(String workload) {
        return colors.getOrDefault(workload, "blue");
    }

    /** These marks make {@code revision}'s rollout stand at {@code step} from {@code now}. */
    public static Map<String, String> at(String revision, int step, Instant now) {
        return Map.of(TARGET, revision, STEP, Integer.toString(step), SINCE, now.toString());
    }

    /** The marks of a finished rollout: none under way, and the colours now active. */
    public static Map<String, String> finished(Map<String, String> colors) {
        Map<String, String> marks = new LinkedHashMap<>();
        marks.put(TARGET, "");
        marks.put(STEP, "0");
        marks.put(SINCE, Instant.EPOCH.toString());
        StringBuilder encoded = new StringBuilder();
        new TreeMap<>(colors).forEach((name, color) -> encoded.append(encoded.isEmpty() ? "" : ",").append(name)
                .append('=').append(color));
        marks.put(COLORS, encoded.toString());
        return marks;
    }
}
