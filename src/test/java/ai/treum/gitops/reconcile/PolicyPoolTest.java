package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subject;
import ai.treum.gitops.core.policy.Subjects;
import ai.treum.gitops.peers.FixtureRepo;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Policies from Git run on the daemon's policy pool, never past its time limit: a policy that
 * costs almost its whole iteration budget on each of hundreds of objects is stopped at the limit
 * and refuses the revision, naming the policy's file and line; a cheap one passes on the same pool.
 */
class PolicyPoolTest {

    /** 200 x 200 = 40,000 steps per object: under the iteration budget, so only the time limit stops it. */
    private static final String SLOW = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata:
              name: slow
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                  - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
              variables:
                - name: seen
                  expression: "%s"
              validations:
                - expression: "variables.seen.all(i, variables.seen.all(j, i + j >= 0 && object.metadata.name != ''))"
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata:
              name: slow-binding
            spec:
              policyName: slow
              validationActions: [Deny]
            """.formatted("[" + "0,".repeat(199) + "0]");

    private static final String CHEAP = FixtureRepo.policyText("cheap", "configmaps", "object.metadata.name != ''",
            "named", "Deny");

    @Test
    void aPolicyThatRunsPastTheTimeLimitRefusesTheRevisionAndNamesItself() {
        PolicyPool pool = new PolicyPool(2, Duration.ofMillis(300));
        try {
            List<Subject> objects = configMaps(2000);
            long started = System.nanoTime();
            PolicyPool.Evaluation slow = pool.evaluate(compile(SLOW), "test", objects);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(slow.errors()).singleElement().hasToString("policies/slow.yaml:1: policy-time-limit: policy slow "
                    + "on 2000 object(s) took longer than 300ms (treum-gitops.policies.time-limit): nothing of the revision "
                    + "is applied");
            assertThat(slow.report().findings()).isEmpty();
            // 2,000 objects at 40,000 steps each is minutes of work; stopping at the limit is the behaviour under test
            assertThat(took).isLessThan(Duration.ofSeconds(30));

            PolicyPool.Evaluation cheap = pool.evaluate(compile(CHEAP), "test", objects);
            assertThat(cheap.errors()).isEmpty();
            assertThat(cheap.report().findings()).isEmpty();
        } finally {
            pool.stop();
        }
    }

    @Test
    void celRunsOnlyOnThePoolsOwnThreadsAndNoMoreOfThemThanConfigured() throws Exception {
        PolicyPool pool = new PolicyPool(2, Duration.ofSeconds(3));
        try {
            // compiled and loaded here: only the evaluation is the caller's to hand to the pool
            PolicySet slow = compile(SLOW);
            List<Subject> objects = configMaps(2000);
            Thread caller = new Thread(() -> pool.evaluate(slow, "test", objects), "a-sync");
            caller.start();
            Set<String> evaluating = ConcurrentHashMap.newKeySet();
            while (caller.isAlive()) {
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    if (Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("dev.cel."))) {
                        evaluating.add(thread.getName());
                    }
                });
                Thread.sleep(20);
            }
            assertThat(evaluating).isNotEmpty().allMatch(name -> name.startsWith("treum-gitops-policy-")).hasSizeLessThanOrEqualTo(2);
        } finally {
            pool.stop();
        }
    }

    private static PolicySet compile(String yaml) {
        String name = yaml.contains("name: slow") ? "slow" : "cheap";
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/" + name + ".yaml", yaml)));
        assertThat(compiled.errors()).isEmpty();
        return compiled.policies();
    }

    private static List<Subject> configMaps(int count) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < count; i++) {
            yaml.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-").append(i).append("}\n---\n");
        }
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("objects.yaml", yaml.toString())), "shop");
        return Subjects.of(((LoadResult.Loaded) loaded).resources());
    }
}
