package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One environment's revision checked against policies/ at the same revision.
 *
 * @param errors why policies/ itself cannot be used (a bad file rejects every environment)
 * @param bound  the policies bound in the environment, with their actions
 */
public record PolicyCheck(String revision, List<LoadError> errors, PolicyReport report, Map<String, Set<Action>> bound) {

    /** Nothing of the revision may be applied. */
    public boolean rejected() {
        return !errors.isEmpty() || report.denied();
    }

    /** Why it was rejected, one line each, naming file, line and rule. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        errors.forEach(e -> reasons.add(e.toString()));
        report.denials().forEach(f -> reasons.add(f.toString()));
        return reasons;
    }

    public List<PolicyFinding> findings() {
        return report.findings();
    }
}
