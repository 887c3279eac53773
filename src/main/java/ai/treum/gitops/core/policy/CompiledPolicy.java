package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.AdmissionPolicy.NamedExpression;
import ai.treum.gitops.core.policy.AdmissionPolicy.Validation;
import dev.cel.bundle.Cel;
import dev.cel.common.CelValidationException;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import dev.cel.runtime.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * A policy with every expression compiled once, evaluated against one object at a time with the
 * API server's semantics: matchConditions first (all must hold), then variables in order, then
 * each validation. An expression that errors is a violation under failurePolicy Fail, and is
 * ignored under Ignore.
 */
final class CompiledPolicy {

    /** A failed validation: the message, and the reason the API server would give. */
    record Violation(String message, String reason) {
    }

    private record Check(Validation validation, Program expression, Program message) {
    }

    /** A variable; {@code slot} is its place among the values one object shares across policies, or -1. */
    private record Variable(String name, Program program, int slot) {
    }

    /** A shared variable that failed for this object: left out again, without evaluating it again. */
    private static final Object FAILED = new Object();

    private final AdmissionPolicy policy;
    private final Map<String, Program> matchConditions = new LinkedHashMap<>();
    private final List<Variable> variables = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();

    private CompiledPolicy(AdmissionPolicy policy) {
        this.policy = policy;
    }

    AdmissionPolicy policy() {
        return policy;
    }

    /**
     * Compiles every expression; what does not compile is an error naming the field. {@code slots}
     * gives a variable its shared slot from its definition and every definition before it: policies
     * that define {@code podSpec} and {@code containers} alike compute them once per object. A
     * policy with params shares none, as its variables may read them.
     */
    static CompiledPolicy compile(Cel cel, AdmissionPolicy policy, List<LoadError> errors,
            ToIntFunction<List<NamedExpression>> slots) {
        CompiledPolicy compiled = new CompiledPolicy(policy);
        List<NamedExpression> conditions = policy.matchConditions();
        for (int i = 0; i < conditions.size(); i++) {
            compiled.matchConditions.put(conditions.get(i).name(),
                    compile(cel, policy, "spec.matchConditions[" + i + "].expression", conditions.get(i).expression(), errors));
        }
        List<NamedExpression> vars = policy.variables();
        for (int i = 0; i < vars.size(); i++) {
            int slot = policy.paramKind() == null ? slots.applyAsInt(vars.subList(0, i + 1)) : -1;
            compiled.variables.add(new Variable(vars.get(i).name(),
                    compile(cel, policy, "spec.variables[" + i + "].expression", vars.get(i).expression(), errors), slot));
        }
        List<Validation> validations = policy.validations();
        for (int i = 0; i < validations.size(); i++) {
            Validation v = validations.get(i);
            Program message = v.messageExpression() == null ? null
                    : compile(cel, policy, "spec.validations[" + i + "].messageExpression", v.messageExpression(), errors);
            compiled.checks.add(new Check(v, compile(cel, policy, "spec.validations[" + i + "].expression",
                    v.expression(), errors), message));
        }
        return compiled;
    }

    private static Program compile(Cel cel, AdmissionPolicy policy, String field, String expression, List<LoadError> errors) {
        try {
            return cel.createProgram(cel.compile(expression).getAst());
        } catch (CelValidationException e) {
            errors.add(new LoadError(policy.source(), "policy-expression", policy.name() + ": " + field + ": "
                    + e.getMessage().lines().findFirst().orElse("")));
            return null;
        } catch (CelEvaluationException e) {
            errors.add(new LoadError(policy.source(), "policy-expression", policy.name() + ": " + field + ": " + e.getMessage()));
            return null;
        }
    }

    /**
     * The violations of one object with one params object (null for none); empty when it passes or
     * is not matched. {@code shared} holds the object's shared variables, filled as they are first
     * computed, and must belong to this object alone.
     */
    List<Violation> evaluate(Subject subject, Object params, Object[] shared) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", subject.object());
        vars.put("oldObject", NullValue.NULL_VALUE);
        vars.put("request", subject.request());
        vars.put("params", params == null ? NullValue.NULL_VALUE : params);
        vars.put("namespaceObject", subject.namespaceObject() == null ? NullValue.NULL_VALUE : subject.namespaceObject());
        Map<String, Object> computed = new HashMap<>();
        vars.put("variables", computed);
        // read in place: evaluating with the map itself would copy it into a new activation each time
        CelVariableResolver resolver = name -> Optional.ofNullable(vars.get(name));
        for (Map.Entry<String, Program> condition : matchConditions.entrySet()) {
            try {
                if (!Boolean.TRUE.equals(condition.getValue().eval(resolver))) {
                    return List.of();
                }
            } catch (CelEvaluationException e) {
                return failed("matchCondition '" + condition.getKey() + "' resulted in error: " + e.getMessage(), null);
            }
        }
        for (Variable variable : variables) {
            Object value = variable.slot() < 0 ? null : shared[variable.slot()];
            if (value == null) {
                value = valueOf(variable, resolver);
                if (variable.slot() >= 0) {
                    shared[variable.slot()] = value;
                }
            }
            // a failed one is left out, so only the checks that use it fail, as with the API server's lazy variables
            if (value != FAILED) {
                computed.put(variable.name(), value);
            }
        }
        List<Violation> violations = new ArrayList<>();
        for (Check check : checks) {
            Object result;
            try {
                result = check.expression().eval(resolver);
            } catch (CelEvaluationException e) {
                violations.addAll(failed("expression '" + check.validation().expression() + "' resulted in error: "
                        + e.getMessage(), check.validation().reason()));
                continue;
            }
            if (!(result instanceof Boolean)) {
                violations.addAll(failed("expression '" + check.validation().expression()
                        + "' must evaluate to bool, found " + result, check.validation().reason()));
            } else if (!(Boolean) result) {
                violations.add(new Violation(message(check, resolver), check.validation().reason()));
            }
        }
        return violations;
    }

    private static Object valueOf(Variable variable, CelVariableResolver resolver) {
        try {
            return variable.program().eval(resolver);
        } catch (CelEvaluationException e) {
            return FAILED;
        }
    }

    private List<Violation> failed(String message, String reason) {
        return policy.failClosed() ? List.of(new Violation(message, reason)) : List.of();
    }

    private static String message(Check check, CelVariableResolver vars) {
        if (check.message() != null) {
            try {
                if (check.message().eval(vars) instanceof String text && !text.isBlank() && !text.contains("\n")) {
                    return text;
                }
            } catch (CelEvaluationException e) {
                // the API server falls back to the static message too
            }
        }
        Validation v = check.validation();
        return v.message() != null ? v.message() : "failed expression: " + v.expression();
    }
}
