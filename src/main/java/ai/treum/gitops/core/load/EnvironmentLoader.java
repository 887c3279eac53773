package ai.treum.gitops.core.load;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.AwsPolicy;
import ai.treum.gitops.model.EnvironmentSpec.HealthRule;
import ai.treum.gitops.model.EnvironmentSpec.Promotion;
import ai.treum.gitops.model.EnvironmentSpec.Scope;
import ai.treum.gitops.model.EnvironmentSpec.SyncPolicy;
import ai.treum.gitops.model.NotificationTarget;
import ai.treum.gitops.model.RolloutPolicy;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads an environment.yaml ({@code kind: Environment}, {@code gitops.treum.ai/v1alpha1}). Pure. */
public final class EnvironmentLoader {

    public static final String API_VERSION = "gitops.treum.ai/v1alpha1";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Durations.Bounds INTERVAL = Durations.Bounds.of(Duration.ofSeconds(1), Duration.ofDays(1));
    private static final Durations.Bounds PROMOTION_WINDOW = Durations.Bounds.of(Duration.ZERO, Duration.ofDays(7));

    private EnvironmentLoader() {
    }

    /** The environment, or the errors that reject it; the folder's name must be the environment's name. */
    public static Result load(SourceFile file, String folderName) {
        LoadResult parsed = ManifestLoader.load(List.of(file), null);
        if (parsed instanceof LoadResult.Rejected rejected) {
            return new Result(null, rejected.errors());
        }
        List<LoadError> errors = new ArrayList<>();
        var resources = ((LoadResult.Loaded) parsed).resources();
        SourceLocation where = new SourceLocation(file.path(), 1);
        if (resources.size() != 1 || !"Environment".equals(resources.get(0).key().kind())
                || !API_VERSION.equals(resources.get(0).apiVersion())) {
            errors.add(new LoadError(where, "environment-kind", "must hold exactly one Environment of " + API_VERSION));
            return new Result(null, errors);
        }
        var resource = resources.get(0);
        where = resource.source();
        errors.addAll(EnvironmentSchema.check(file, resource.body()));
        String name = resource.key().name();
        if (!name.equals(folderName)) {
            errors.add(new LoadError(where, "environment-name", "Environment " + name + " is in folder " + folderName));
        }
        JsonNode spec = resource.body().path("spec");
        String namespace = spec.path("namespace").asText(null);
        if (namespace == null || namespace.isBlank()) {
            errors.add(new LoadError(where, "environment-namespace", "Environment " + name + " has no spec.namespace"));
        }
        JsonNode sync = spec.path("sync");
        SyncPolicy defaults = SyncPolicy.defaults();
        Duration interval = sync.has("interval")
                ? interval(file, sync.get("interval"), "spec.sync.interval", where, errors) : defaults.interval();
        int maxPrune = sync.path("maxPrunePercent").asInt(defaults.maxPrunePercent());
        if (maxPrune < 0 || maxPrune > 100) {
            errors.add(new LoadError(where, "environment-prune-limit", "spec.sync.maxPrunePercent must be 0 to 100"));
        }
        Scope scope = scope(spec, namespace, where, errors);
        AwsPolicy aws = aws(file, spec.path("aws"), where, errors);
        RolloutPolicy rollout = RolloutLoader.load(spec.path("rollout"), where, errors);
        List<HealthRule> health = health(file, spec.path("health"), where, errors);
        ClusterTarget cluster = ClusterBlock.read(spec.path("cluster"),
                new SourceLocation(where.file(), EnvironmentSchema.line(file.content(), "spec.cluster")), errors);
        List<NotificationTarget> notifications = NotificationsBlock.read(spec.path("notifications"),
                new SourceLocation(where.file(), EnvironmentSchema.line(file.content(), "spec.notifications")), errors);
        Optional<Promotion> promotion = promotion(file, spec.path("promotion"), name, where, errors);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        SyncPolicy policy = new SyncPolicy(sync.path("auto").asBoolean(defaults.auto()),
                sync.path("prune").asBoolean(defaults.prune()), sync.path("selfHeal").asBoolean(defaults.selfHeal()),
                interval, sync.path("allowEmpty").asBoolean(defaults.allowEmpty()), maxPrune);
        return new Result(new EnvironmentSpec(name, namespace, policy, aws, rollout, scope, health, cluster,
                notifications, promotion), List.of());
    }

    /** {@code spec.health}: each rule names a kind once and has a {@code healthy} expression (compiled by core.health). */
    private static List<HealthRule> health(SourceFile file, JsonNode rules, SourceLocation where, List<LoadError> errors) {
        List<HealthRule> health = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String field = "spec.health[" + i + "]";
            SourceLocation at = new SourceLocation(where.file(), EnvironmentSchema.line(file.content(), "spec.health"));
            String kind = rule.path("kind").asText("");
            if (kind.isBlank() || !rule.path("healthy").isTextual()) {
                errors.add(new LoadError(at, "environment-health", field + " needs a kind and a healthy expression"));
                continue;
            }
            if (!kinds.add(kind)) {
                errors.add(new LoadError(at, "environment-health", field + ": " + kind + " has a rule already"));
            }
            health.add(new HealthRule(kind, rule.path("healthy").asText(), rule.path("degraded").asText(null), at));
        }
        return health;
    }

    /** {@code spec.namespaces} (with {@code spec.namespace} always in it) and {@code spec.clusterScoped}. */
    private static Scope scope(JsonNode spec, String namespace, SourceLocation where, List<LoadError> errors) {
        Set<String> namespaces = new TreeSet<>(strings(spec, "namespaces"));
        if (namespace != null && !namespace.isBlank()) {
            namespaces.add(namespace);
        }
        namespaces.stream().filter(n -> !DNS_LABEL.matcher(n).matches()).forEach(n -> errors.add(new LoadError(where,
                "environment-namespaces", "spec.namespaces: " + n + " is not a namespace name (a DNS label)")));
        return new Scope(namespaces, new TreeSet<>(strings(spec, "clusterScoped")));
    }

    /** A list of strings; any other shape is the schema's error, and reads as none here. */
    private static List<String> strings(JsonNode spec, String field) {
        List<String> values = new ArrayList<>();
        if (spec.path(field).isArray()) {
            spec.path(field).forEach(item -> values.add(item.asText()));
        }
        return values;
    }

    private static AwsPolicy aws(SourceFile file, JsonNode aws, SourceLocation where, List<LoadError> errors) {
        AwsPolicy defaults = AwsPolicy.defaults();
        String mode = aws.path("mode").asText("observe");
        if (!mode.equals("observe") && !mode.equals("enforce")) {
            errors.add(new LoadError(where, "environment-aws-mode", "spec.aws.mode must be observe or enforce, found " + mode));
        }
        Duration interval = aws.has("interval")
                ? interval(file, aws.get("interval"), "spec.aws.interval", where, errors) : defaults.interval();
        String region = aws.path("region").asText("");
        return new AwsPolicy(region.isBlank() ? null : region, mode.equals("enforce"), interval,
                aws.path("applyImmediately").asBoolean(false));
    }

    /** An interval: from a second to a day; zero, negative or no duration at all is an error on its line. */
    private static Duration interval(SourceFile file, JsonNode value, String field, SourceLocation where,
            List<LoadError> errors) {
        Durations.Parsed parsed = Durations.parse(value.asText(), INTERVAL);
        if (parsed instanceof Durations.Invalid invalid) {
            errors.add(new LoadError(new SourceLocation(where.file(), EnvironmentSchema.line(file.content(), field)),
                    "environment-interval", field + " " + invalid.reason()));
            return INTERVAL.min();
        }
        return ((Durations.Valid) parsed).value();
    }

    /** {@code spec.promotion}: the environment images come from, for how long proven, and whether analysed. */
    private static Optional<Promotion> promotion(SourceFile file, JsonNode block, String name, SourceLocation where,
            List<LoadError> errors) {
        if (block.isMissingNode()) {
            return Optional.empty();
        }
        SourceLocation at = new SourceLocation(where.file(), EnvironmentSchema.line(file.content(), "spec.promotion"));
        String from = block.path("from").asText("");
        if (from.isBlank() || from.equals(name)) {
            errors.add(new LoadError(at, "environment-promotion", "spec.promotion.from must name another environment"));
        }
        Duration healthyFor = Duration.ofMinutes(10);
        if (block.has("healthyFor")) {
            Durations.Parsed parsed = Durations.parse(block.get("healthyFor").asText(), PROMOTION_WINDOW);
            if (parsed instanceof Durations.Invalid invalid) {
                errors.add(new LoadError(at, "environment-promotion", "spec.promotion.healthyFor " + invalid.reason()));
            } else {
                healthyFor = ((Durations.Valid) parsed).value();
            }
        }
        return Optional.of(new Promotion(from, healthyFor, block.path("requireAnalysis").asBoolean(true)));
    }

    /** An environment, or why it was rejected. */
    public record Result(EnvironmentSpec environment, List<LoadError> errors) {
    }
}
