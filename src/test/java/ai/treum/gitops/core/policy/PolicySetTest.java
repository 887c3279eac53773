package ai.treum.gitops.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bundled policies against the bundled environments and against one passing and one failing fixture each. */
class PolicySetTest {

    private static final Path FIXTURES = Path.of("src/test/resources/policies");

    private final PolicySet policies = BundledPolicies.compiled();

    @Test
    @Tag("peer")
    void bundledEnvironmentsPassEveryBundledPolicy() {
        for (String env : List.of("production", "staging")) {
            EnvironmentRevision revision = BundledPolicies.environment(env);
            assertThat(revision.errors()).isEmpty();
            assertThat(revision.declared()).extracting(r -> r.key().kind()).contains("RdsInstance", "BackupPolicy");
            assertThat(policies.evaluate(env, Subjects.of(revision.all())).findings()).as(env).isEmpty();
        }
        EnvironmentRevision platform = BundledPolicies.environment("platform");
        assertThat(platform.errors()).isEmpty();
        assertThat(platform.kubernetes()).extracting(r -> r.key().toString())
                .contains("Deployment/treum-platform/metrics-server", "RoleBinding/kube-system/metrics-server-auth-reader");
        assertThat(policies.evaluate("platform", Subjects.of(platform.all())).findings()).isEmpty();
    }

    @Test
    void everyBundledPolicyPassesItsPassingFixtureAndDeniesItsFailingOne() throws IOException {
        Set<String> fixtures;
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            fixtures = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(fixtures).hasSize(policies.size());
        for (String policy : fixtures) {
            PolicyReport pass = evaluate("production", FIXTURES.resolve(policy).resolve("pass.yaml"));
            assertThat(pass.findings()).as(policy + " pass.yaml").isEmpty();
            PolicyReport fail = evaluate("production", FIXTURES.resolve(policy).resolve("fail.yaml"));
            assertThat(fail.denials()).as(policy + " fail.yaml").isNotEmpty()
                    .anySatisfy(f -> assertThat(f.policy()).isEqualTo(policy))
                    .allSatisfy(f -> assertThat(f.source().file()).endsWith(policy + "/fail.yaml"));
            // a privileged container cannot forbid escalation, so that fixture fails both rules
            if (!policy.equals("no-privileged-containers")) {
                assertThat(fail.findings()).as(policy + " fail.yaml").allMatch(f -> f.policy().equals(policy));
            }
        }
    }

    @Test
    void findingsSayWhatFailedAndWhere() {
        PolicyReport report = evaluate("production", FIXTURES.resolve("trusted-images/fail.yaml"));
        assertThat(report.denied()).isTrue();
        assertThat(report.findings()).singleElement().hasToString("src/test/resources/policies/trusted-images/fail.yaml:1: "
                + "policy/trusted-images: Deployment/treum-fixture/trusted-images-fail: images must come from "
                + "registry.treum.ai: docker.io/library/nginx:1.27 (Deny)");
        assertThat(report.counts()).containsExactly(java.util.Map.entry("trusted-images", java.util.Map.of(Action.DENY, 1L)));
    }

    @Test
    void aBindingLimitedToProductionDoesNotHoldInStaging() {
        Path fail = FIXTURES.resolve("production-rds-protection/fail.yaml");
        assertThat(evaluate("production", fail).denied()).isTrue();
        assertThat(evaluate("staging", fail).findings()).isEmpty();
    }

    private PolicyReport evaluate(String environment, Path file) {
        return policies.evaluate(environment, Subjects.of(BundledPolicies.objects(file, "treum-fixture")));
    }
}
