package ai.treum.gitops.core.policy;

import ai.treum.gitops.model.SourceLocation;
import java.util.Set;

/**
 * A ValidatingAdmissionPolicyBinding: which policy, with which actions, on which objects. The
 * annotation {@code gitops.treum.ai/environments} (comma-separated names) limits it to those
 * environments; without it the binding holds in every environment.
 *
 * @param matchResources further limits on the policy's own constraints, or null for none
 * @param paramRef       where the params object comes from, or null
 */
public record PolicyBinding(String name, SourceLocation source, String policyName, Set<Action> actions,
        MatchResources matchResources, ParamRef paramRef, Set<String> environments) {

    public static final String ENVIRONMENTS_ANNOTATION = "gitops.treum.ai/environments";

    public boolean holdsIn(String environment) {
        return environments.isEmpty() || environments.contains(environment);
    }

    /** validationActions: Deny stops the revision; Warn applies and reports; Audit only records. */
    public enum Action {
        DENY("Deny"), WARN("Warn"), AUDIT("Audit");

        private final String text;

        Action(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Action of(String text) {
            for (Action action : values()) {
                if (action.text.equals(text)) {
                    return action;
                }
            }
            return null;
        }
    }

    /** The params object by name (and namespace), or every one a selector matches. */
    public record ParamRef(String name, String namespace, LabelSelector selector, boolean denyWhenMissing) {
    }
}
