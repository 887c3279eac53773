package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.AdmissionPolicy.NamedExpression;
import ai.treum.gitops.core.policy.AdmissionPolicy.ParamKind;
import ai.treum.gitops.core.policy.AdmissionPolicy.Validation;
import ai.treum.gitops.core.policy.MatchResources.ResourceRule;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.policy.PolicyBinding.ParamRef;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects, checking the
 * fields the API server would require. Every problem is a {@link LoadError} naming the file, the
 * line of the object, and the field.
 */
final class PolicyParser {

    static final String API_VERSION = "admissionregistration.k8s.io/v1";
    static final String POLICY = "ValidatingAdmissionPolicy";
    static final String BINDING = "ValidatingAdmissionPolicyBinding";

    private final List<LoadError> errors = new ArrayList<>();

    List<LoadError> errors() {
        return errors;
    }

    AdmissionPolicy policy(DesiredResource resource) {
        JsonNode spec = resource.body().path("spec");
        SourceLocation where = resource.source();
        String name = resource.key().name();
        String failurePolicy = spec.path("failurePolicy").asText("Fail");
        if (!failurePolicy.equals("Fail") && !failurePolicy.equals("Ignore")) {
            error(where, name, "spec.failurePolicy must be Fail or Ignore, found " + failurePolicy);
        }
        JsonNode constraints = spec.path("matchConstraints");
        if (constraints.path("resourceRules").isEmpty()) {
            error(where, name, "spec.matchConstraints.resourceRules is required");
        }
        List<Validation> validations = new ArrayList<>();
        JsonNode list = spec.path("validations");
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            if (v.path("expression").asText("").isBlank()) {
                error(where, name, "spec.validations[" + i + "].expression is required");
            }
            validations.add(new Validation(v.path("expression").asText(""), text(v, "message"),
                    text(v, "messageExpression"), text(v, "reason")));
        }
        if (validations.isEmpty()) {
            error(where, name, "spec.validations must list at least one validation");
        }
        ParamKind paramKind = spec.has("paramKind") ? new ParamKind(spec.path("paramKind").path("apiVersion").asText(),
                spec.path("paramKind").path("kind").asText()) : null;
        return new AdmissionPolicy(name, where, !failurePolicy.equals("Ignore"), match(constraints, where, name),
                paramKind, named(spec.path("matchConditions")), named(spec.path("variables")), validations);
    }

    PolicyBinding binding(DesiredResource resource, Map<String, AdmissionPolicy> policies) {
        JsonNode spec = resource.body().path("spec");
        SourceLocation where = resource.source();
        String name = resource.key().name();
        String policyName = spec.path("policyName").asText("");
        AdmissionPolicy policy = policies.get(policyName);
        if (policy == null) {
            error(where, name, "spec.policyName " + (policyName.isEmpty() ? "is required"
                    : "names no ValidatingAdmissionPolicy in policies/: " + policyName));
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (JsonNode a : spec.path("validationActions")) {
            Action action = Action.of(a.asText());
            if (action == null) {
                error(where, name, "spec.validationActions: " + a.asText() + " is not Deny, Warn or Audit");
            } else {
                actions.add(action);
            }
        }
        if (actions.isEmpty()) {
            error(where, name, "spec.validationActions must list Deny, Warn or Audit");
        } else if (actions.contains(Action.DENY) && actions.contains(Action.WARN)) {
            error(where, name, "spec.validationActions may not hold both Deny and Warn");
        }
        ParamRef paramRef = null;
        if (spec.has("paramRef")) {
            JsonNode ref = spec.path("paramRef");
            paramRef = new ParamRef(text(ref, "name"), text(ref, "namespace"),
                    ref.has("selector") ? selector(ref.path("selector")) : null,
                    !"Allow".equals(ref.path("parameterNotFoundAction").asText("Deny")));
        } else if (policy != null && policy.paramKind() != null) {
            error(where, name, "spec.paramRef is required: policy " + policyName + " has a paramKind");
        }
        MatchResources match = spec.has("matchResources") ? match(spec.path("matchResources"), where, name) : null;
        String environments = resource.body().path("metadata").path("annotations")
                .path(PolicyBinding.ENVIRONMENTS_ANNOTATION).asText("");
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(environments.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        return new PolicyBinding(name, where, policyName, actions, match, paramRef, Set.copyOf(names));
    }

    private MatchResources match(JsonNode node, SourceLocation where, String name) {
        return new MatchResources(
                node.has("namespaceSelector") ? selector(node.path("namespaceSelector")) : LabelSelector.EVERYTHING,
                node.has("objectSelector") ? selector(node.path("objectSelector")) : LabelSelector.EVERYTHING,
                rules(node.path("resourceRules"), where, name), rules(node.path("excludeResourceRules"), where, name));
    }

    private List<ResourceRule> rules(JsonNode list, SourceLocation where, String name) {
        List<ResourceRule> rules = new ArrayList<>();
        for (JsonNode rule : list) {
            String scope = rule.path("scope").asText("*");
            if (!Set.of("*", "Cluster", "Namespaced").contains(scope)) {
                error(where, name, "resource rule scope must be *, Cluster or Namespaced, found " + scope);
            }
            rules.add(new ResourceRule(strings(rule.path("apiGroups")), strings(rule.path("apiVersions")),
                    strings(rule.path("resources")), strings(rule.path("operations")), scope,
                    strings(rule.path("resourceNames"))));
        }
        return rules;
    }

    private LabelSelector selector(JsonNode node) {
        return LabelSelector.of(node);
    }

    private static List<NamedExpression> named(JsonNode list) {
        List<NamedExpression> named = new ArrayList<>();
        list.forEach(n -> named.add(new NamedExpression(n.path("name").asText(), n.path("expression").asText())));
        return named;
    }

    private static Set<String> strings(JsonNode list) {
        Set<String> values = new LinkedHashSet<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String text(JsonNode node, String field) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? null : value;
    }

    private void error(SourceLocation where, String object, String message) {
        errors.add(new LoadError(where, "policy-format", object + ": " + message));
    }
}
