package ai.treum.gitops.port;

import ai.treum.gitops.core.alerts.RuleFile;
import java.util.List;

/** Prometheus' own verdict on a rule file's PromQL and templates. */
public interface RuleSyntax {

    /** What is wrong with the file, a line each; empty when it loads, or when no checker is installed. */
    List<String> problems(RuleFile file);
}
