package ai.treum.gitops.core.backup;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** The five-field cron schedules of CronJobs, read as Kubernetes reads them (UTC). Pure. */
public final class Schedules {

    /** How late a run may be before it counts as missed: time for the Job to start and finish. */
    static final Duration GRACE = Duration.ofHours(6);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    /** Why the expression is not a schedule; empty when it is one. */
    public static Optional<String> problem(String cron) {
        try {
            PARSER.parse(cron).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The longest a success may lie back at {@code now} without a run having been missed: the gap
     * between the runs before and after {@code now}, and the grace.
     */
    public static Duration maxInterval(String cron, Instant now) {
        ExecutionTime times = ExecutionTime.forCron(PARSER.parse(cron));
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        ZonedDateTime last = times.lastExecution(at).orElse(at);
        ZonedDateTime next = times.nextExecution(at).orElse(at);
        return Duration.between(last, next).plus(GRACE);
    }
}
