package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.alerts.AlertRules;
import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.RuleInstaller;
import ai.treum.gitops.port.RuleInstaller.Installed;
import ai.treum.gitops.port.RuleSyntax;
import ai.treum.gitops.port.ShardOwnership;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The alert-rule handler. For every environment at each new revision: reads {@code alerts/},
 * checks every rule (our structural check, then promtool), and installs them only when all pass.
 * A bad rule blocks only the alert rules: the rest of the revision syncs as usual, and the rules
 * installed before stay. An install that did not load everything is retried every interval.
 */
@ApplicationScoped
public class AlertRuleWatcher implements PerEnvironmentState {

    /**
     * An environment's alert rules.
     *
     * @param revision  the revision last checked
     * @param errors    why its rules were refused, {@code file:line: rule: message}; empty when they passed
     * @param installed the latest install of rules that passed, with its revision; null before the first
     */
    public record Status(String revision, Instant checkedAt, List<String> errors, String installedRevision,
            Installed installed) {
    }

    private static final Logger LOG = Logger.getLogger(AlertRuleWatcher.class);

    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final RuleSyntax syntax;
    private final RuleInstaller installer;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final ShardOwnership shards;

    AlertRuleWatcher(DesiredStateWatcher watcher, RevisionReader revisions, RuleSyntax syntax, RuleInstaller installer,
            ShardOwnership shards) {
        this.watcher = watcher;
        this.shards = shards;
        this.revisions = revisions;
        this.syntax = syntax;
        this.installer = installer;
    }

    public Optional<Status> status(String env) {
        return Optional.ofNullable(statuses.get(env));
    }

    @Override
    public void retain(Set<String> environments) {
        statuses.keySet().retainAll(environments);
    }

    @Scheduled(every = "${treum-gitops.alerts.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Revision head = watcher.current().orElse(null);
        if (head == null) {
            return;
        }
        EachEnvironment.run(shards.held(watcher.environments()), "the alert rule check", LOG, env -> {
            Status known = statuses.get(env);
            boolean retry = known != null && known.installed() != null && !known.installed().problems().isEmpty()
                    && known.errors().isEmpty();
            if (known == null || !known.revision().equals(head.sha()) || retry) {
                check(env, head);
            }
        });
    }

    /** Checks the environment's rules at the revision, and installs them when they pass. */
    public void check(String env, Revision revision) {
        List<SourceFile> files = revisions.alerts(env, revision);
        Status previous = statuses.get(env);
        if (files.isEmpty() && (previous == null || previous.installed() == null)) {
            statuses.put(env, new Status(revision.sha(), Instant.now(), List.of(), null, null));
            return;
        }
        EnvironmentRevision read = revisions.read(env, revision);
        if (!read.valid()) {
            refuse(env, revision, List.of("the environment does not load at this revision; the installed alert rules stay"),
                    previous);
            return;
        }
        AlertRules.Checked checked = AlertCheck.run(files, read.environment().namespace(), syntax);
        List<String> errors = checked.errors().stream().map(LoadError::toString).toList();
        List<RuleFile> rules = checked.files();
        String namespace = read.environment().namespace();
        if (!errors.isEmpty()) {
            refuse(env, revision, errors, previous);
            return;
        }
        Installed installed = installer.install(env, namespace, rules);
        // a retried install logs only what changed, so a lasting problem is one line, not one per interval
        Installed before = previous == null ? null : previous.installed();
        if (before == null || !before.problems().equals(installed.problems()) || !before.warnings().equals(installed.warnings())) {
            installed.problems().forEach(p -> LOG.warnf("environment %s: alert rules: %s", env, p));
            installed.warnings().forEach(w -> LOG.warnf("environment %s: alert rules: %s", env, w));
        }
        if (installed.problems().isEmpty()) {
            LOG.infof("environment %s at %s: %d alert rule group(s) installed in %s", env, revision.shortSha(),
                    installed.loaded().size(), installed.target());
        }
        statuses.put(env, new Status(revision.sha(), Instant.now(), List.of(), revision.sha(), installed));
    }

    private void refuse(String env, Revision revision, List<String> errors, Status previous) {
        LOG.errorf("environment %s at %s: alert rules refused, the installed ones stay: %s", env, revision.shortSha(),
                String.join("; ", errors));
        statuses.put(env, new Status(revision.sha(), Instant.now(), errors,
                previous == null ? null : previous.installedRevision(), previous == null ? null : previous.installed()));
    }
}
