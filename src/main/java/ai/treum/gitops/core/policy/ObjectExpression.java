package ai.treum.gitops.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import java.util.Map;

/**
 * One CEL expression over a single object, {@code object}, with the same functions, extensions
 * and iteration budget as the policies: for checks that Git declares beside the objects, such as
 * an environment's health expressions. Pure.
 */
public final class ObjectExpression {

    /** What one evaluation gave: a boolean, or why there is none. */
    public record Outcome(boolean value, String error) {
    }

    private final String text;
    private final Program program;

    private ObjectExpression(String text, Program program) {
        this.text = text;
        this.program = program;
    }

    /** The compiled expression, or the compiler's first line of complaint as an IllegalArgumentException. */
    public static ObjectExpression compile(String text) {
        try {
            return new ObjectExpression(text, KubernetesCel.CEL.createProgram(KubernetesCel.CEL.compile(text).getAst()));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("does not compile"), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public Outcome test(JsonNode object) {
        try {
            Object result = program.eval(Map.of("object", CelValues.of(object)));
            return result instanceof Boolean value ? new Outcome(value, null)
                    : new Outcome(false, "'" + text + "' gave " + result + ", not true or false");
        } catch (CelEvaluationException e) {
            return new Outcome(false, "'" + text + "': " + e.getMessage());
        }
    }

    public String text() {
        return text;
    }
}
