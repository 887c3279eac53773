package ai.treum.gitops.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.model.DesiredResource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The admission semantics the engine follows, one rule at a time, on small inline policies. */
class PolicySemanticsTest {

    private static final String DEPLOYMENTS = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata:
              name: %s
            spec:
              failurePolicy: %s
              matchConstraints:
                resourceRules:
                  - apiGroups: [apps]
                    apiVersions: [v1]
                    operations: [CREATE, UPDATE]
                    resources: [deployments]
            %s
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata:
              name: %s-binding
            spec:
              policyName: %s
              validationActions: [%s]
            %s
            """;

    private static final String OBJECTS = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {tier: critical}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels: {app: web}
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                    - name: web
                      image: registry.treum.ai/web:1.0
                      resources: {limits: {memory: 1Gi}, requests: {memory: 512Mi}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: batch
              namespace: jobs
              labels: {app: batch, exempt: "true"}
            spec:
              replicas: 1
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: limits
              namespace: shop
            data:
              minReplicas: "3"
            """;

    @Test
    void warnAndAuditFindButDoNotDeny() {
        PolicyReport report = evaluate(policy("floor", "Fail", "  validations:\n    - expression: object.spec.replicas >= 2",
                "Warn, Audit", ""));
        assertThat(report.denied()).isFalse();
        assertThat(report.findings()).extracting(PolicyFinding::action)
                .containsExactlyInAnyOrder(Action.WARN, Action.AUDIT, Action.WARN, Action.AUDIT);
        assertThat(report.findings()).extracting(PolicyFinding::message).containsOnly("failed expression: object.spec.replicas >= 2");
    }

    @Test
    void matchConditionsLimitWhichObjectsAreChecked() {
        PolicyReport report = evaluate(policy("floor", "Fail", """
                  matchConditions:
                    - name: not-exempt
                      expression: "!has(object.metadata.labels.exempt)"
                  validations:
                    - expression: object.spec.replicas >= 2
                """, "Deny", ""));
        assertThat(report.findings()).extracting(f -> f.key().name()).containsExactly("web");
    }

    @Test
    void anExpressionThatErrorsDeniesUnderFailAndIsIgnoredUnderIgnore() {
        String check = "  validations:\n    - expression: object.spec.template.spec.containers.size() > 0";
        assertThat(evaluate(policy("containers", "Fail", check, "Deny", "")).findings()).singleElement()
                .satisfies(f -> {
                    assertThat(f.key().name()).isEqualTo("batch");
                    assertThat(f.message()).startsWith("expression 'object.spec.template.spec.containers.size() > 0' "
                            + "resulted in error: ");
                });
        assertThat(evaluate(policy("containers", "Ignore", check, "Deny", "")).findings()).isEmpty();
    }

    @Test
    void anExpressionThatIteratesWithoutEndIsCutOffAndFollowsTheFailurePolicy() {
        // 2,000 x 2,000 steps: far past the budget, a few milliseconds of work before it is cut off
        String list = "[" + "0,".repeat(1999) + "0]";
        String quadratic = "  validations:\n    - expression: \"" + list + ".all(i, " + list + ".all(j, i + j >= 0))\"";
        assertThat(evaluate(policy("quadratic", "Fail", quadratic, "Deny", "")).findings()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.message()).contains("resulted in error"));
        assertThat(evaluate(policy("quadratic", "Ignore", quadratic, "Deny", "")).findings()).isEmpty();
    }

    @Test
    void onceItsTimeIsUpAnEvaluationStopsBeforeTheNextObjectAndNamesThePolicy() {
        String floor = "  validations:\n    - expression: object.spec.replicas >= 2";
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/test.yaml",
                policy("floor", "Fail", floor, "Deny", ""))));
        List<DesiredResource> objects = ((LoadResult.Loaded) ManifestLoader.load(List.of(new SourceFile("objects.yaml",
                OBJECTS)), "default")).resources();
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> compiled.policies().evaluate("test", Subjects.of(objects), () -> asked.incrementAndGet() > 1))
                .isInstanceOfSatisfying(PolicySet.TimeLimitExceeded.class, e -> {
                    assertThat(e.policyName()).isEqualTo("floor");
                    assertThat(e.source()).hasToString("policies/test.yaml:1");
                });
        assertThat(compiled.policies().evaluate("test", Subjects.of(objects), () -> false).findings()).isNotEmpty();
    }

    @Test
    void bindingsNarrowByNamespaceLabelsObjectLabelsAndNames() {
        String floor = "  validations:\n    - expression: object.spec.replicas >= 2";
        assertThat(evaluate(policy("floor", "Fail", floor, "Deny", """
                  matchResources:
                    namespaceSelector: {matchLabels: {tier: critical}}
                """)).findings()).extracting(f -> f.key().name()).containsExactly("web");
        assertThat(evaluate(policy("floor", "Fail", floor, "Deny", """
                  matchResources:
                    objectSelector:
                      matchExpressions: [{key: app, operator: NotIn, values: [web]}]
                """)).findings()).extracting(f -> f.key().name()).containsExactly("batch");
        assertThat(evaluate(policy("floor", "Fail", floor, "Deny", """
                  matchResources:
                    excludeResourceRules:
                      - {apiGroups: [apps], apiVersions: [v1], operations: ["*"], resources: [deployments], resourceNames: [batch]}
                """)).findings()).extracting(f -> f.key().name()).containsExactly("web");
        // the API server labels every namespace with its name
        assertThat(evaluate(policy("floor", "Fail", floor, "Deny", """
                  matchResources:
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: jobs}}
                """)).findings()).extracting(f -> f.key().name()).containsExactly("batch");
    }

    @Test
    void paramsComeFromTheObjectTheBindingNames() {
        String check = """
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  validations:
                    - expression: object.spec.replicas >= int(params.data.minReplicas)
                      messageExpression: "'needs ' + params.data.minReplicas + ' replicas'"
                """;
        assertThat(evaluate(policy("floor", "Fail", check, "Deny", "  paramRef: {name: limits, namespace: shop}")).findings())
                .extracting(PolicyFinding::message).containsOnly("needs 3 replicas").hasSize(2);
        assertThat(evaluate(policy("floor", "Fail", check, "Deny",
                "  paramRef: {name: missing, parameterNotFoundAction: Deny}")).findings())
                .extracting(PolicyFinding::message).containsOnly("failed to find params for ConfigMap named by binding floor-binding");
        assertThat(evaluate(policy("floor", "Fail", check, "Deny",
                "  paramRef: {name: missing, parameterNotFoundAction: Allow}")).findings()).isEmpty();
    }

    @Test
    void aVariableThatErrorsFailsOnlyTheChecksThatUseIt() {
        PolicyReport report = evaluate(policy("vars", "Fail", """
                  variables:
                    - name: first
                      expression: object.spec.template.spec.containers[0]
                  validations:
                    - expression: object.metadata.name != ''
                    - expression: variables.first.name == object.metadata.name
                      message: the first container is named after the Deployment
                """, "Deny", ""));
        assertThat(report.findings()).extracting(f -> f.key().name()).containsExactly("batch");
    }

    @Test
    void policiesShareAVariableOnlyWhenEveryDefinitionUpToItIsTheSame() {
        String byName = """
                  variables:
                    - name: base
                      expression: object.metadata.name
                    - name: tag
                      expression: variables.base + '-x'
                  validations:
                    - expression: variables.tag == 'web-x'
                """;
        // the same last definition over a different base: sharing by the last definition alone would give it web-x
        String byNamespace = """
                  variables:
                    - name: base
                      expression: object.metadata.namespace
                    - name: tag
                      expression: variables.base + '-x'
                  validations:
                    - expression: variables.tag == 'shop-x'
                """;
        PolicyReport report = evaluate(policy("first", "Fail", byName, "Deny", "") + "---\n"
                + policy("second", "Fail", byName, "Deny", "") + "---\n" + policy("third", "Fail", byNamespace, "Deny", ""));
        assertThat(report.findings()).extracting(f -> f.policy() + " " + f.key().name())
                .containsExactly("first batch", "second batch", "third batch");
    }

    @Test
    void theKubernetesLibrariesAreThere() {
        List<String> truths = List.of(
                "quantity(object.spec.template.spec.containers[0].resources.limits.memory).isGreaterThan(quantity('1000Mi'))",
                "quantity('1') == quantity('1000m')",
                "quantity('1.5Gi').compareTo(quantity('1536Mi')) == 0",
                "quantity('2k').asInteger() == 2000",
                "quantity('500m').add(quantity('1500m')).isInteger()",
                "quantity('1').sub(2).sign() == -1",
                "isQuantity('250Mi') && !isQuantity('250MB')",
                "[3, 1, 2].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3",
                "[1, 2, 3].isSorted() && ![2, 1].isSorted()",
                "['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2",
                "'registry.treum.ai/web:1.0'.find('[0-9.]+$') == '1.0'",
                "'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333'] && 'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']",
                "'Web-01'.lowerAscii() == 'web-01' && 'a,b'.split(',') == ['a', 'b']",
                "'registry.treum.ai/web'.matches('^registry[.]treum[.]ai/')",
                "object.?spec.?paused.orValue(false) == false",
                "sets.contains(['a', 'b'], ['a'])",
                "cel.bind(n, object.spec.replicas, n * 2) == 2");
        StringBuilder validations = new StringBuilder("  validations:\n");
        truths.forEach(t -> validations.append("    - expression: \"").append(t.replace("\"", "\\\"")).append("\"\n"));
        PolicyReport report = evaluate(policy("libraries", "Fail", validations.toString(), "Deny", """
                  matchResources:
                    objectSelector: {matchLabels: {app: web}}
                """));
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void whatDoesNotCompileOrIsNotAPolicyIsRejectedWithFileLineAndRule() {
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/mixed.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: stray}
                ---
                """ + policy("typo", "Fail", "  validations:\n    - expression: object.spec.replicas >", "Deny", ""))));
        assertThat(compiled.valid()).isFalse();
        assertThat(compiled.errors()).extracting(Object::toString).anySatisfy(e -> assertThat(e)
                .isEqualTo("policies/mixed.yaml:1: policy-kind: ConfigMap/stray: policies/ holds only "
                        + "ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding of admissionregistration.k8s.io/v1"))
                .anySatisfy(e -> assertThat(e).startsWith(
                        "policies/mixed.yaml:5: policy-expression: typo: spec.validations[0].expression: ERROR: "));
    }

    private static String policy(String name, String failurePolicy, String body, String actions, String bindingSpec) {
        return DEPLOYMENTS.formatted(name, failurePolicy, body, name, name, actions, bindingSpec);
    }

    private static PolicyReport evaluate(String policies) {
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/test.yaml", policies)));
        assertThat(compiled.errors()).isEmpty();
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("objects.yaml", OBJECTS)), "default");
        List<DesiredResource> objects = ((LoadResult.Loaded) loaded).resources();
        return compiled.policies().evaluate("test", Subjects.of(objects));
    }
}
