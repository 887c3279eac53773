package ai.treum.gitops.core.backup;

import ai.treum.gitops.core.load.Durations;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BackupPolicy of {@code backups/}: which database, when, to which S3 prefix, how long dumps are
 * kept and how old the newest may be.
 *
 * @param prefix the key prefix of the policy's own objects, ending in {@code /}
 */
public record BackupPolicy(String name, String database, String schedule, String bucket, String prefix,
        Duration retention, Duration maxAge, String drillSchedule) {

    private static final Pattern S3_URL = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+/)");

    /** The policy, or the errors that name its file, line and field. */
    public record Parsed(BackupPolicy policy, List<LoadError> errors) {
    }

    public static Parsed parse(DesiredResource resource) {
        JsonNode spec = resource.body().path("spec");
        List<LoadError> errors = new ArrayList<>();
        Matcher destination = S3_URL.matcher(spec.path("destination").asText(""));
        if (!destination.matches()) {
            errors.add(error(resource, "spec.destination must be s3://BUCKET/PREFIX/ (a prefix of its own, ending in /), found '"
                    + spec.path("destination").asText("") + "'"));
        }
        Duration retention = duration(resource, spec, "retention", Durations.Bounds.of(Duration.ofHours(1),
                Duration.ofDays(3650)), errors);
        Duration maxAge = duration(resource, spec, "maxAge", Durations.Bounds.of(Duration.ofMinutes(1),
                Duration.ofDays(365)), errors);
        for (String field : List.of("databaseSecret.name", "databaseSecret.key")) {
            if (spec.at("/" + field.replace('.', '/')).asText("").isBlank()) {
                errors.add(error(resource, "spec." + field + " is required: the database URL comes from a Secret, never Git"));
            }
        }
        for (String field : List.of("database", "schedule")) {
            if (spec.path(field).asText("").isBlank()) {
                errors.add(error(resource, "spec." + field + " is required"));
            }
        }
        for (String field : List.of("schedule", "restoreDrill/schedule")) {
            JsonNode cron = spec.at("/" + field);
            if (cron.isTextual() && !cron.asText().isBlank()) {
                Schedules.problem(cron.asText()).ifPresent(p -> errors.add(error(resource, "spec." + field.replace('/', '.')
                        + " '" + cron.asText() + "' is not a cron schedule: " + p)));
            }
        }
        checks(resource, spec.path("restoreDrill").path("checks"), errors);
        drillCredentials(resource, spec, errors);
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new BackupPolicy(resource.key().name(), spec.path("database").asText(),
                spec.path("schedule").asText(), destination.group(1), destination.group(2), retention, maxAge,
                spec.path("restoreDrill").path("schedule").asText(null)), List.of());
    }

    /**
     * The drill creates a scratch database and a role: it connects with credentials of its own,
     * which may do that, never with the application's.
     */
    private static void drillCredentials(DesiredResource resource, JsonNode spec, List<LoadError> errors) {
        JsonNode drill = spec.path("restoreDrill");
        if (drill.isMissingNode() || drill.isNull()) {
            return;
        }
        JsonNode own = drill.path("databaseSecret");
        if (own.path("name").asText("").isBlank() || own.path("key").asText("").isBlank()) {
            errors.add(error(resource, "spec.restoreDrill.databaseSecret.name and .key are required: the drill connects "
                    + "with credentials of its own (CREATEDB, CREATEROLE), never the application's"));
        } else if (own.path("name").asText().equals(spec.path("databaseSecret").path("name").asText())
                && own.path("key").asText().equals(spec.path("databaseSecret").path("key").asText())) {
            errors.add(error(resource, "spec.restoreDrill.databaseSecret names the application's own credentials ("
                    + own.path("name").asText() + "/" + own.path("key").asText() + "): give the drill credentials of its own"));
        }
    }

    /** Each drill check is one SQL query and a numeric minimum; a psql meta-command ({@code \\! ...}) is refused. */
    private static void checks(DesiredResource resource, JsonNode checks, List<LoadError> errors) {
        if (checks.isMissingNode() || checks.isNull()) {
            return;
        }
        if (!checks.isArray()) {
            errors.add(error(resource, "spec.restoreDrill.checks must be a list of {query, min}"));
            return;
        }
        for (int i = 0; i < checks.size(); i++) {
            JsonNode check = checks.get(i);
            String field = "spec.restoreDrill.checks[" + i + "]";
            String query = check.path("query").isTextual() ? check.path("query").asText() : "";
            if (query.isBlank()) {
                errors.add(error(resource, field + ".query is required: one SQL query whose result is a single number"));
            } else if (query.stripLeading().startsWith("\\")) {
                errors.add(error(resource, field + ".query is a psql meta-command, not SQL: checks run SQL only"));
            }
            if (!check.path("min").isNumber()) {
                errors.add(error(resource, field + ".min is required and must be a number"));
            }
        }
    }

    private static Duration duration(DesiredResource resource, JsonNode spec, String field, Durations.Bounds bounds,
            List<LoadError> errors) {
        Durations.Parsed parsed = Durations.parse(spec.path(field).asText(""), bounds);
        if (parsed instanceof Durations.Invalid invalid) {
            errors.add(error(resource, "spec." + field + " " + invalid.reason()));
            return null;
        }
        return ((Durations.Valid) parsed).value();
    }

    private static LoadError error(DesiredResource resource, String message) {
        return new LoadError(resource.source(), "backup-policy", resource.key() + ": " + message);
    }
}
