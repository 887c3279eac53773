package ai.treum.gitops.port;

import ai.treum.gitops.core.alerts.RuleFile;
import java.util.List;

/** Puts an environment's checked alert rules where Prometheus loads them. */
public interface RuleInstaller {

    /**
     * What an install did.
     *
     * @param target   where the rules went, for people
     * @param loaded   the groups Prometheus (or the operator) has
     * @param problems groups that did not load, or why nothing could be installed; worth a retry
     * @param warnings what loads but may not be evaluated (no Prometheus selects the rules)
     */
    record Installed(String target, List<String> loaded, List<String> problems, List<String> warnings) {
    }

    /** Replaces the environment's rules with these: the ones no longer listed are removed. */
    Installed install(String environment, String namespace, List<RuleFile> files);
}
