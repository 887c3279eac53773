package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.policy.PolicyReport;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subject;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.SourceLocation;
import ai.treum.gitops.peers.FixtureRepo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An unchanged environment under unchanged policies is not evaluated again; a new read of the
 * revision, a new compile of policies/, a server that presents an object differently, or a
 * refused evaluation each make the next sync evaluate anew.
 */
class PolicyEvaluationsTest {

    /** An object labelled tier: forbidden is denied; the label can come from the server's defaults alone. */
    private static final String POLICY = FixtureRepo.policyText("tier", "configmaps",
            "!has(object.metadata.labels) || !('tier' in object.metadata.labels) || object.metadata.labels.tier != 'forbidden'",
            "tier forbidden", "Deny");

    private final Counting pool = new Counting(Duration.ofSeconds(30));
    private final PolicyEvaluations evaluations = new PolicyEvaluations(pool, false);

    @AfterEach
    void stop() {
        pool.stop();
    }

    @Test
    void anUnchangedReadUnderUnchangedPoliciesIsNotEvaluatedAgain() {
        EnvironmentRevision read = read();
        PolicySet.Compiled compiled = compile();

        PolicyPool.Evaluation first = evaluations.evaluate("shop", read, compiled, UnaryOperator.identity());
        PolicyPool.Evaluation again = evaluations.evaluate("shop", read, compiled, UnaryOperator.identity());

        assertThat(again).isSameAs(first);
        assertThat(pool.evaluated).hasValue(1);
        assertThat(first.errors()).isEmpty();
        assertThat(first.report().findings()).isEmpty();
    }

    @Test
    void aNewReadOrANewCompileIsEvaluatedAgain() {
        EnvironmentRevision read = read();
        PolicySet.Compiled compiled = compile();
        evaluations.evaluate("shop", read, compiled, UnaryOperator.identity());

        evaluations.evaluate("shop", read(), compiled, UnaryOperator.identity());
        assertThat(pool.evaluated).hasValue(2);
        evaluations.evaluate("shop", read, compile(), UnaryOperator.identity());
        assertThat(pool.evaluated).hasValue(3);
        // another environment's evaluation is its own
        evaluations.evaluate("other", read, compiled, UnaryOperator.identity());
        assertThat(pool.evaluated).hasValue(4);
    }

    @Test
    void whenTheServerPresentsAnObjectDifferentlyTheRevisionIsEvaluatedAgain() {
        EnvironmentRevision read = read();
        PolicySet.Compiled compiled = compile();
        Server server = new Server();
        PolicyEvaluations evaluations = new PolicyEvaluations(pool, true);

        assertThat(evaluations.evaluate("shop", read, compiled, server).report().findings()).isEmpty();
        assertThat(evaluations.evaluate("shop", read, compiled, server).report().findings()).isEmpty();
        assertThat(pool.evaluated).hasValue(1);

        // the server now defaults a label the policy denies, with the revision unchanged
        server.defaults("forbidden");
        assertThat(evaluations.evaluate("shop", read, compiled, server).report().denials()).singleElement()
                .satisfies(f -> assertThat(f.key().name()).isEqualTo("settings"))
                .satisfies(f -> assertThat(f.message()).isEqualTo("tier forbidden"));
        assertThat(pool.evaluated).hasValue(2);
    }

    @Test
    void aRefusedEvaluationIsNotGivenAgain() {
        EnvironmentRevision read = read();
        PolicySet.Compiled compiled = compile();
        pool.refuse = true;
        assertThat(evaluations.evaluate("shop", read, compiled, UnaryOperator.identity()).errors()).isNotEmpty();

        pool.refuse = false;
        assertThat(evaluations.evaluate("shop", read, compiled, UnaryOperator.identity()).errors()).isEmpty();
        assertThat(pool.evaluated).hasValue(2);
    }

    private static EnvironmentRevision read() {
        EnvironmentRevision read = EnvironmentRevision.read("shop", "environments/shop", List.of(
                new SourceFile("environments/shop/environment.yaml", "apiVersion: gitops.treum.ai/v1alpha1\n"
                        + "kind: Environment\nmetadata:\n  name: shop\nspec:\n  namespace: shop\n"),
                new SourceFile("environments/shop/kubernetes/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  MODE: blue\n")),
                Boundary.of("treum-gitops"));
        assertThat(read.errors()).isEmpty();
        return read;
    }

    private static PolicySet.Compiled compile() {
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/tier.yaml", POLICY)));
        assertThat(compiled.errors()).isEmpty();
        return compiled;
    }

    /** The pool, counting what reaches it; or refusing, as it does past its time limit. */
    private static final class Counting extends PolicyPool {
        final AtomicInteger evaluated = new AtomicInteger();
        volatile boolean refuse;

        Counting(Duration limit) {
            super(1, limit);
        }

        @Override
        public Evaluation evaluate(PolicySet policies, String environment, List<Subject> subjects) {
            evaluated.incrementAndGet();
            if (refuse) {
                return new Evaluation(PolicyReport.NONE, List.of(new LoadError(new SourceLocation("policies", 1),
                        "policy-time-limit", "took too long")));
            }
            return super.evaluate(policies, environment, subjects);
        }
    }

    /** An API server's dry run: one answer object per body, kept as the daemon keeps them, with its default tier label. */
    private static final class Server implements UnaryOperator<JsonNode> {
        private String tier = "standard";
        private final Map<JsonNode, JsonNode> answers = new HashMap<>();

        @Override
        public synchronized JsonNode apply(JsonNode body) {
            return answers.computeIfAbsent(body.deepCopy(), b -> {
                ObjectNode answer = b.deepCopy();
                answer.withObjectProperty("metadata").withObjectProperty("labels").put("tier", tier);
                return answer;
            });
        }

        synchronized void defaults(String tier) {
            this.tier = tier;
            answers.clear();
        }
    }
}
