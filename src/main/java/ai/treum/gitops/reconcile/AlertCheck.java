package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.alerts.AlertRules;
import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.port.RuleSyntax;
import java.util.ArrayList;
import java.util.List;

/** An environment's alert rule files checked whole: YAML, then structure, then Prometheus' own syntax check. */
public final class AlertCheck {

    private AlertCheck() {
    }

    /** @param namespace the environment's namespace, given to rules that name none */
    public static AlertRules.Checked run(List<SourceFile> files, String namespace, RuleSyntax syntax) {
        LoadResult loaded = ManifestLoader.load(files, namespace);
        if (loaded instanceof LoadResult.Rejected rejected) {
            return new AlertRules.Checked(List.of(), rejected.errors());
        }
        AlertRules.Checked checked = AlertRules.check(((LoadResult.Loaded) loaded).resources());
        if (!checked.valid()) {
            return checked;
        }
        List<LoadError> errors = new ArrayList<>();
        for (RuleFile file : checked.files()) {
            syntax.problems(file).forEach(p -> errors.add(new LoadError(file.source().source(), "alert-promql",
                    file.source().key() + ": " + p)));
        }
        return errors.isEmpty() ? checked : new AlertRules.Checked(List.of(), errors);
    }
}
