package ai.treum.gitops.core.policy;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;

/**
 * One object failing one policy under one binding's action.
 *
 * @param source where the object is declared
 * @param reason the validation's reason (Invalid, Forbidden, ...), or null
 */
public record PolicyFinding(String policy, String binding, Action action, ResourceKey key, SourceLocation source,
        String message, String reason) {

    /** As the loader reports problems: file and line of the object, the policy as the rule. */
    public LoadError asLoadError() {
        return new LoadError(source, "policy/" + policy, key + ": " + message + " (" + action.text() + ")");
    }

    @Override
    public String toString() {
        return asLoadError().toString();
    }
}
