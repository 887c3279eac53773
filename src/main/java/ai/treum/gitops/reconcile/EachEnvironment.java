package ai.treum.gitops.reconcile;

import java.util.Collection;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One environment's part of a periodic check at a time, each in its own failure domain: whatever
 * one environment's revision holds, an error in its part is logged and the others still run.
 */
final class EachEnvironment {

    private EachEnvironment() {
    }

    static void run(Collection<String> environments, String check, Logger log, Consumer<String> part) {
        for (String env : environments) {
            try {
                part.accept(env);
            } catch (RuntimeException e) {
                log.errorf(e, "%s of environment %s failed; the other environments go on", check, env);
            }
        }
    }
}
