package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.model.ResourceKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/** Every finding of every policy on one revision of one environment, in binding then object order. */
public record PolicyReport(List<PolicyFinding> findings) {

    public static final PolicyReport NONE = new PolicyReport(List.of());

    /** True when some finding has action Deny: the revision must not be applied. */
    public boolean denied() {
        return findings.stream().anyMatch(f -> f.action() == Action.DENY);
    }

    public List<PolicyFinding> denials() {
        return findings.stream().filter(f -> f.action() == Action.DENY).toList();
    }

    /** How many objects each policy flagged under each action. */
    public Map<String, Map<Action, Long>> counts() {
        Map<String, Map<Action, Set<ResourceKey>>> objects = new TreeMap<>();
        for (PolicyFinding f : findings) {
            objects.computeIfAbsent(f.policy(), p -> new TreeMap<>()).computeIfAbsent(f.action(), a -> new HashSet<>())
                    .add(f.key());
        }
        Map<String, Map<Action, Long>> counts = new TreeMap<>();
        objects.forEach((policy, byAction) -> byAction.forEach((action, keys) ->
                counts.computeIfAbsent(policy, p -> new TreeMap<>()).put(action, (long) keys.size())));
        return counts;
    }
}
