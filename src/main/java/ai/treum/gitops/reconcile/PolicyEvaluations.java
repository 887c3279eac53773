package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subjects;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Policy evaluations on the policy pool, each environment's last one given again while nothing it
 * read has changed: the same read of the revision (the revision reader keeps one per unchanged
 * folder, so the objects and their files and lines are the same), the same compiled policies/
 * (compiled once per content) and, when the API server presents the objects, the same answers
 * from it. A periodic sync of an unchanged environment then runs no CEL. An evaluation refused
 * for its time limit is never given again: the next sync tries anew.
 */
final class PolicyEvaluations {

    /** @param presented the bodies as the server presented them, or null when they follow from {@code read} */
    private record Last(EnvironmentRevision read, PolicySet.Compiled compiled, List<JsonNode> presented,
            PolicyPool.Evaluation evaluation) {

        boolean covers(EnvironmentRevision read, PolicySet.Compiled compiled, List<JsonNode> presented) {
            // identity: a new read or a new compile is a change, whatever it holds
            return this.read == read && this.compiled == compiled && Objects.equals(this.presented, presented);
        }
    }

    private final PolicyPool pool;
    private final boolean asksServer;
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    /**
     * @param asksServer whether the policies see objects as the API server presents them, whose
     *                   answers may change while the revision does not; otherwise what they see is
     *                   a function of the body alone
     */
    PolicyEvaluations(PolicyPool pool, boolean asksServer) {
        this.pool = pool;
        this.asksServer = asksServer;
    }

    /** @param presented how the policies see an object's body */
    PolicyPool.Evaluation evaluate(String environment, EnvironmentRevision read, PolicySet.Compiled compiled,
            UnaryOperator<JsonNode> presented) {
        List<JsonNode> bodies = asksServer ? Subjects.presented(read.all(), presented) : null;
        Last before = last.get(environment);
        if (before != null && before.covers(read, compiled, bodies)) {
            return before.evaluation();
        }
        PolicyPool.Evaluation evaluation = pool.evaluate(compiled.policies(), environment, Subjects.of(read.all(),
                bodies != null ? bodies : Subjects.presented(read.all(), presented)));
        if (evaluation.errors().isEmpty()) {
            last.put(environment, new Last(read, compiled, bodies, evaluation));
        } else {
            last.remove(environment);
        }
        return evaluation;
    }

    void retain(Set<String> environments) {
        last.keySet().retainAll(environments);
    }
}
