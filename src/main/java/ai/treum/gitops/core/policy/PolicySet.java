package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.AdmissionPolicy.NamedExpression;
import ai.treum.gitops.core.policy.AdmissionPolicy.ParamKind;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.policy.PolicyBinding.ParamRef;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The policies of one revision of policies/, compiled once and then evaluated against any number
 * of environments. A binding applies its policy to every object both match, in the environments
 * it names; each violation becomes one finding per validation action. Pure.
 */
public final class PolicySet {

    public static final PolicySet EMPTY = new PolicySet(Map.of(), List.of(), 0);

    private final Map<String, CompiledPolicy> policies;
    private final List<PolicyBinding> bindings;
    /** How many variable values one object can share across policies. */
    private final int sharedVariables;

    private PolicySet(Map<String, CompiledPolicy> policies, List<PolicyBinding> bindings, int sharedVariables) {
        this.policies = policies;
        this.bindings = bindings;
        this.sharedVariables = sharedVariables;
    }

    /** The policy set, or every reason policies/ cannot be used. */
    public record Compiled(PolicySet policies, List<LoadError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Reads and compiles every policy and binding in the files; any error rejects them all. */
    public static Compiled compile(List<SourceFile> files) {
        LoadResult loaded = ManifestLoader.load(files, null);
        if (loaded instanceof LoadResult.Rejected rejected) {
            return new Compiled(EMPTY, rejected.errors());
        }
        List<DesiredResource> objects = ((LoadResult.Loaded) loaded).resources();
        PolicyParser parser = new PolicyParser();
        List<LoadError> errors = new ArrayList<>();
        Map<String, AdmissionPolicy> parsed = new LinkedHashMap<>();
        for (DesiredResource object : objects) {
            boolean known = object.apiVersion().equals(PolicyParser.API_VERSION)
                    && (object.key().kind().equals(PolicyParser.POLICY) || object.key().kind().equals(PolicyParser.BINDING));
            if (!known) {
                errors.add(new LoadError(object.source(), "policy-kind", object.key() + ": policies/ holds only "
                        + PolicyParser.POLICY + " and " + PolicyParser.BINDING + " of " + PolicyParser.API_VERSION));
            } else if (object.key().kind().equals(PolicyParser.POLICY)) {
                parsed.put(object.key().name(), parser.policy(object));
            }
        }
        List<PolicyBinding> bindings = objects.stream().filter(o -> o.key().kind().equals(PolicyParser.BINDING))
                .map(o -> parser.binding(o, parsed)).sorted(Comparator.comparing(PolicyBinding::name)).toList();
        errors.addAll(parser.errors());
        Map<String, CompiledPolicy> compiled = new LinkedHashMap<>();
        // one slot per distinct chain of variable definitions, so equal chains share their values
        Map<List<NamedExpression>, Integer> slots = new HashMap<>();
        parsed.forEach((name, policy) -> compiled.put(name, CompiledPolicy.compile(KubernetesCel.CEL, policy, errors,
                chain -> slots.computeIfAbsent(List.copyOf(chain), c -> slots.size()))));
        return errors.isEmpty() ? new Compiled(new PolicySet(compiled, bindings, slots.size()), List.of())
                : new Compiled(EMPTY, errors);
    }

    public int size() {
        return policies.size();
    }

    /** The policies bound in an environment, each with the actions its bindings carry there. */
    public Map<String, Set<Action>> bound(String environment) {
        Map<String, Set<Action>> bound = new TreeMap<>();
        bindings.stream().filter(b -> b.holdsIn(environment)).forEach(b -> bound.computeIfAbsent(b.policyName(),
                p -> EnumSet.noneOf(Action.class)).addAll(b.actions()));
        return bound;
    }

    /** Thrown by {@link #evaluate(String, List, BooleanSupplier)} once its time is up, naming the policy it was on. */
    public static final class TimeLimitExceeded extends RuntimeException {

        private final transient AdmissionPolicy policy;

        // no (Throwable) or no-argument constructor, so a parallel stream rethrows this very instance
        TimeLimitExceeded(AdmissionPolicy policy) {
            super("policy " + policy.name() + " was still being evaluated when the time limit was reached", null, false, false);
            this.policy = policy;
        }

        public String policyName() {
            return policy.name();
        }

        public SourceLocation source() {
            return policy.source();
        }
    }

    /** Every finding, with no time limit: for {@code validate}, which has the process to itself. */
    public PolicyReport evaluate(String environment, List<Subject> subjects) {
        return evaluate(environment, subjects, () -> false);
    }

    /**
     * Every finding of every binding on the environment's objects, in binding then object order.
     * Objects are checked in parallel (in the ForkJoinPool the caller runs in), each by every
     * binding in one pass, computing the variables that policies define alike once per object:
     * objects are independent (each holds its own shared values) and the programs are immutable.
     * Each expression is cut off by the iteration budget; {@code expired} is asked before each
     * check, and once it says so the evaluation stops with {@link TimeLimitExceeded}.
     */
    public PolicyReport evaluate(String environment, List<Subject> subjects, BooleanSupplier expired) {
        List<PolicyBinding> held = bindings.stream().filter(b -> b.holdsIn(environment)).toList();
        boolean wantsState = held.stream().map(b -> policies.get(b.policyName()).policy().paramKind())
                .anyMatch(kind -> kind != null && kind.desiredState());
        Map<String, Object> state = wantsState ? desiredState(environment, subjects) : null;
        List<List<List<PolicyFinding>>> bySubject = subjects.parallelStream().map(subject -> {
            Object[] shared = new Object[sharedVariables];
            List<List<PolicyFinding>> byBinding = new ArrayList<>(held.size());
            for (PolicyBinding binding : held) {
                CompiledPolicy compiled = policies.get(binding.policyName());
                if (expired.getAsBoolean()) {
                    throw new TimeLimitExceeded(compiled.policy());
                }
                byBinding.add(check(binding, compiled, subject, subjects, state, shared));
            }
            return byBinding;
        }).toList();
        List<PolicyFinding> findings = new ArrayList<>();
        for (int b = 0; b < held.size(); b++) {
            for (List<List<PolicyFinding>> byBinding : bySubject) {
                findings.addAll(byBinding.get(b));
            }
        }
        return new PolicyReport(List.copyOf(findings));
    }

    private static List<PolicyFinding> check(PolicyBinding binding, CompiledPolicy compiled, Subject subject,
            List<Subject> subjects, Map<String, Object> desiredState, Object[] shared) {
        AdmissionPolicy policy = compiled.policy();
        if (!policy.constraints().matches(subject)
                || binding.matchResources() != null && !binding.matchResources().matches(subject)) {
            return List.of();
        }
        ParamKind paramKind = policy.paramKind();
        List<Object> params = paramKind == null ? Collections.singletonList(null)
                : paramKind.desiredState() ? List.of(desiredState) : params(paramKind, binding.paramRef(), subject, subjects);
        List<PolicyFinding> findings = new ArrayList<>();
        if (params.isEmpty()) {
            if (binding.paramRef().denyWhenMissing()) {
                add(findings, binding, subject, new CompiledPolicy.Violation("failed to find params for "
                        + paramKind.kind() + " named by binding " + binding.name(), null));
            }
            return findings;
        }
        for (Object param : params) {
            compiled.evaluate(subject, param, shared).forEach(v -> add(findings, binding, subject, v));
        }
        return findings;
    }

    private static void add(List<PolicyFinding> findings, PolicyBinding binding, Subject subject,
            CompiledPolicy.Violation violation) {
        for (Action action : binding.actions()) {
            findings.add(new PolicyFinding(binding.policyName(), binding.name(), action, subject.key(), subject.source(),
                    violation.message(), violation.reason()));
        }
    }

    /** The params objects a binding names among the environment's own objects. */
    private static List<Object> params(ParamKind kind, ParamRef ref, Subject subject, List<Subject> all) {
        return all.stream().filter(s -> s.apiVersion().equals(kind.apiVersion()) && s.key().kind().equals(kind.kind()))
                .filter(s -> ref.name() == null || ref.name().equals(s.key().name()))
                .filter(s -> !s.namespaced() || Objects.equals(s.key().namespace(),
                        ref.namespace() != null ? ref.namespace() : subject.key().namespace()))
                .filter(s -> ref.selector() == null || ref.selector().matches(s.labels()))
                .map(s -> (Object) s.object()).toList();
    }

    /** {@code params} of kind DesiredState: every object the environment declares, under {@code objects}. */
    private static Map<String, Object> desiredState(String environment, List<Subject> subjects) {
        return Map.of("apiVersion", Subject.GITOPS_API_VERSION, "kind", "DesiredState",
                "metadata", Map.of("name", environment),
                "objects", subjects.stream().map(s -> (Object) s.object()).toList());
    }
}
