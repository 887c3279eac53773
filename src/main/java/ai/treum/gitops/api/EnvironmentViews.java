package ai.treum.gitops.api;

import ai.treum.gitops.api.EnvironmentView.ShardView;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.AlertRuleWatcher;
import ai.treum.gitops.reconcile.AwsStatuses;
import ai.treum.gitops.reconcile.BackupWatcher;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.EnvironmentStatuses;
import ai.treum.gitops.reconcile.HealthMonitor;
import ai.treum.gitops.reconcile.PolicyGate;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.RolloutSteps;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Every environment as the status API and the status page show it, gathered from the daemon's watchers. */
@ApplicationScoped
public class EnvironmentViews {

    private final DesiredStateWatcher watcher;
    private final EnvironmentStatuses statuses;
    private final HealthMonitor health;
    private final PolicyGate policies;
    private final AwsStatuses aws;
    private final RolloutGuard rollouts;
    private final RolloutSteps steps;
    private final AlertRuleWatcher alerts;
    private final BackupWatcher backups;
    private final ShardOwnership shards;

    EnvironmentViews(DesiredStateWatcher watcher, EnvironmentStatuses statuses, HealthMonitor health,
            PolicyGate policies, AwsStatuses aws, RolloutGuard rollouts, RolloutSteps steps, AlertRuleWatcher alerts,
            BackupWatcher backups, ShardOwnership shards) {
        this.watcher = watcher;
        this.statuses = statuses;
        this.health = health;
        this.policies = policies;
        this.aws = aws;
        this.rollouts = rollouts;
        this.steps = steps;
        this.alerts = alerts;
        this.backups = backups;
        this.shards = shards;
    }

    /** The environments of the current revision: one that left Git is forgotten with its status. */
    public SortedSet<String> names() {
        return new TreeSet<>(watcher.environments());
    }

    public List<EnvironmentView> list() {
        return names().stream().map(name -> EnvironmentView.summary(name, statuses.get(name).orElse(null),
                health.all().get(name), ShardView.of(shards.holder(name)))).toList();
    }

    public Optional<EnvironmentView> detail(String name) {
        if (!names().contains(name)) {
            return Optional.empty();
        }
        return Optional.of(EnvironmentView.detail(name, statuses.get(name).orElse(null), health.all().get(name),
                policies.latest(name).orElse(null), aws.get(name).orElse(null), rollouts.marks(name),
                steps.status(name).orElse(null), alerts.status(name).orElse(null), backups.statuses(name),
                ShardView.of(shards.holder(name))));
    }
}
