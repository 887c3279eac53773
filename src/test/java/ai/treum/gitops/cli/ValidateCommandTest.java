package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code validate} as a pull request's CI runs it: offline, on files, with an exit status. */
@QuarkusMainTest
@Tag("peer")
class ValidateCommandTest {

    private static final String FIXTURES = "src/test/resources/validate-fixtures";

    @Test
    @Launch({"validate"})
    void theBundledEnvironmentsAreClean(LaunchResult result) {
        assertThat(result.getOutput()).contains("0 finding(s) in 3 environment(s): platform, production, staging");
    }

    @Test
    void everyKindOfErrorIsReportedWithFileLineAndRule(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("validate", "--dir", FIXTURES);

        assertThat(result.exitCode()).isEqualTo(1);
        String broken = FIXTURES + "/broken/kubernetes/";
        assertThat(result.getOutput()).contains(
                broken + "objects.yaml:8: missing-apiVersion: ConfigMap has no apiVersion",
                broken + "objects.yaml:12: missing-kind: object has no kind",
                broken + "objects.yaml:16: missing-name: ConfigMap has no metadata.name",
                broken + "objects.yaml:20: duplicate-object: ConfigMap/treum-broken/settings is already defined at "
                        + broken + "objects.yaml:1",
                broken + "objects.yaml:31: yaml-syntax: Duplicate field 'A'",
                broken + "syntax.yaml:4: yaml-syntax: while parsing a flow sequence",
                FIXTURES + "/kustomized/kubernetes/kustomization.yaml:3: kustomize-reference: resources entry 'app.yaml' is not a file",
                FIXTURES + "/misnamed/environment.yaml:1: environment-name: Environment something-else is in folder misnamed",
                "19 finding(s) in 5 environment(s)");
    }

    @Test
    void alertRulesAreCheckedAsTheDaemonChecksThemBeforeInstalling(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("validate", "--dir", FIXTURES, "--env", "alerting");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).contains(FIXTURES + "/alerting/alerts/app.yaml:1: alert-promql: "
                + "PrometheusRule/treum-alerting/app: ", "unclosed left parenthesis", "1 finding(s) in 1 environment(s)");
    }

    @Test
    void objectsOfCoreKindsAreCheckedAgainstTheirOpenApiSchema(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("validate", "--dir", FIXTURES, "--env", "misshapen");

        assertThat(result.exitCode()).isEqualTo(1);
        String file = FIXTURES + "/misshapen/kubernetes/app.yaml";
        assertThat(result.getOutput()).contains(
                file + ":8: schema: Deployment/treum-misshapen/web spec.replica: unknown field",
                file + ":8: schema: Deployment/treum-misshapen/web spec.replicas: must be an integer, is string",
                file + ":8: schema: Deployment/treum-misshapen/web spec.template.spec.containers[0].ports[0].containerPort: "
                        + "must be an integer, is string",
                file + ":29: schema: Service/treum-misshapen/web spec.ports[0].port: required field is missing",
                file + ":37: schema: Secret/treum-misshapen/credentials data.password: must be a string, is number",
                "10 finding(s) in 1 environment(s)");
        assertThat(result.getOutput()).withFailMessage("a Secret's value must never be printed").doesNotContain("4815162342");
    }

    @Test
    void theBundledPoliciesRunOnEveryEnvironment(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("validate", "--dir", FIXTURES, "--env", "misshapen");

        assertThat(result.getOutput()).contains(FIXTURES + "/misshapen/kubernetes/app.yaml:8: policy/run-as-non-root: "
                + "Deployment/treum-misshapen/web: runAsNonRoot must be true for the pod or for containers: web (Deny)",
                "policies: 12 compiled in ");
    }

    @Test
    void denyIsAFindingAndWarnIsPrinted(QuarkusMainLauncher launcher) {
        String dir = "src/test/resources/policy-fixtures";
        LaunchResult result = launcher.launch("validate", "--dir", dir + "/environments", "--policies", dir + "/policies");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).contains(
                dir + "/environments/shop/kubernetes/app.yaml:8: policy/replica-floor: Deployment/shop/web: "
                        + "runs 1 replica(s); at least 2 are required (Deny)",
                "warning: " + dir + "/environments/shop/kubernetes/app.yaml:1: policy/team-label: ConfigMap/shop/settings: "
                        + "every ConfigMap names its team in the label team (Warn)",
                "1 finding(s) in 1 environment(s): shop",
                "policies: 2 compiled in ");
    }

    @Test
    void policiesThatDoNotCompileAreFindingsWithFileLineAndRule(QuarkusMainLauncher launcher) {
        String dir = "src/test/resources/policy-fixtures";
        LaunchResult result = launcher.launch("validate", "--dir", dir + "/environments", "--policies",
                dir + "/broken-policies");

        assertThat(result.exitCode()).isEqualTo(1);
        String file = dir + "/broken-policies/broken.yaml";
        assertThat(result.getOutput()).contains(
                file + ":1: policy-expression: typo: spec.validations[0].expression: ERROR: <input>:1:",
                file + ":15: policy-format: orphan: spec.policyName names no ValidatingAdmissionPolicy in policies/: "
                        + "no-such-policy",
                file + ":15: policy-format: orphan: spec.validationActions: Block is not Deny, Warn or Audit");
        assertThat(launcher.launch("validate", "--policies", "no/such/folder").exitCode()).isEqualTo(2);
    }

    @Test
    void jsonForMachines(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("validate", "--dir", FIXTURES, "--env", "misnamed", "--format", "json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(result.getOutput());
        assertThat(json.path("environments").get(0).asText()).isEqualTo("misnamed");
        assertThat(json.path("findings")).singleElement().satisfies(f -> {
            assertThat(f.path("rule").asText()).isEqualTo("environment-name");
            assertThat(f.path("line").asInt()).isEqualTo(1);
            assertThat(f.path("file").asText()).endsWith("misnamed/environment.yaml");
        });
    }

    @Test
    void junitAndSarifForCiSystems(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult junit = launcher.launch("validate", "--dir", FIXTURES, "--env", "misnamed", "--format", "junit");
        assertThat(junit.exitCode()).isEqualTo(1);
        assertThat(junit.getOutput()).contains("<testsuite name=\"misnamed\" tests=\"1\" failures=\"1\">",
                "<failure type=\"environment-name\"");

        LaunchResult sarif = launcher.launch("validate", "--dir", FIXTURES, "--env", "misnamed", "--format", "sarif");
        JsonNode result = new ObjectMapper().readTree(sarif.getOutput()).path("runs").get(0).path("results").get(0);
        assertThat(result.path("ruleId").asText()).isEqualTo("environment-name");
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .endsWith("misnamed/environment.yaml");
    }

    @Test
    void usageAndIoErrorsExitWithTwo(QuarkusMainLauncher launcher) {
        assertThat(launcher.launch("validate", "--dir", "no/such/folder").exitCode()).isEqualTo(2);
        assertThat(launcher.launch("validate", "--env", "qa").exitCode()).isEqualTo(2);
        assertThat(launcher.launch("validate", "--format", "yaml").exitCode()).isEqualTo(2);
    }
}
