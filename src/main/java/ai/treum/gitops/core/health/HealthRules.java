package ai.treum.gitops.core.health;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.ObjectExpression;
import ai.treum.gitops.model.EnvironmentSpec.HealthRule;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An environment's own health expressions ({@code spec.health}), compiled: for a kind the daemon
 * has no check of, or one whose conditions say too little, what healthy and degraded mean. Pure.
 */
public final class HealthRules {

    public static final HealthRules NONE = new HealthRules(Map.of());

    private record Compiled(ObjectExpression healthy, ObjectExpression degraded) {
    }

    private final Map<String, Compiled> byKind;

    private HealthRules(Map<String, Compiled> byKind) {
        this.byKind = byKind;
    }

    /** The rules compiled, or one error per expression that does not compile, on its rule's line. */
    public record Compilation(HealthRules rules, List<LoadError> errors) {
    }

    public static Compilation compile(List<HealthRule> rules) {
        Map<String, Compiled> byKind = new HashMap<>();
        List<LoadError> errors = new ArrayList<>();
        for (HealthRule rule : rules) {
            byKind.put(rule.kind(), new Compiled(expression(rule, "healthy", rule.healthy(), errors),
                    rule.degraded() == null ? null : expression(rule, "degraded", rule.degraded(), errors)));
        }
        return errors.isEmpty() ? new Compilation(new HealthRules(byKind), List.of()) : new Compilation(NONE, errors);
    }

    private static ObjectExpression expression(HealthRule rule, String which, String text, List<LoadError> errors) {
        try {
            return ObjectExpression.compile(text);
        } catch (IllegalArgumentException e) {
            errors.add(new LoadError(rule.source(), "environment-health", "spec.health " + rule.kind() + " " + which + ": "
                    + e.getMessage()));
            return null;
        }
    }

    /** What the environment's rule for the object's kind says; empty when it has none. */
    Optional<ResourceHealth> assess(ResourceKey key, JsonNode live) {
        Compiled rule = Optional.ofNullable(byKind.get(key.groupKind().toString())).orElse(byKind.get(key.kind()));
        if (rule == null) {
            return Optional.empty();
        }
        if (rule.degraded() != null) {
            ObjectExpression.Outcome degraded = rule.degraded().test(live);
            if (degraded.error() != null) {
                return Optional.of(new ResourceHealth(HealthStatus.UNKNOWN, "health expression failed: " + degraded.error()));
            }
            if (degraded.value()) {
                return Optional.of(ResourceHealth.degraded("degraded: " + rule.degraded().text()));
            }
        }
        ObjectExpression.Outcome healthy = rule.healthy().test(live);
        if (healthy.error() != null) {
            return Optional.of(new ResourceHealth(HealthStatus.UNKNOWN, "health expression failed: " + healthy.error()));
        }
        return Optional.of(healthy.value() ? ResourceHealth.healthy()
                : ResourceHealth.progressing("waiting for " + rule.healthy().text()));
    }
}
