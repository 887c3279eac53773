package ai.treum.gitops.core.policy;

import ai.treum.gitops.model.SourceLocation;
import java.util.List;

/**
 * A ValidatingAdmissionPolicy ({@code admissionregistration.k8s.io/v1}) as written in policies/.
 *
 * @param failClosed  failurePolicy Fail (the default): an expression that errors counts as a violation
 * @param paramKind   the kind of the params object, or null
 */
public record AdmissionPolicy(String name, SourceLocation source, boolean failClosed, MatchResources constraints,
        ParamKind paramKind, List<NamedExpression> matchConditions, List<NamedExpression> variables,
        List<Validation> validations) {

    /** A matchCondition or a variable. */
    public record NamedExpression(String name, String expression) {
    }

    /** One check; the message comes from messageExpression, else message, else the expression itself. */
    public record Validation(String expression, String message, String messageExpression, String reason) {
    }

    public record ParamKind(String apiVersion, String kind) {

        /** The params object the daemon makes itself: every object the environment declares. */
        public boolean desiredState() {
            return Subject.GITOPS_API_VERSION.equals(apiVersion) && "DesiredState".equals(kind);
        }
    }
}
