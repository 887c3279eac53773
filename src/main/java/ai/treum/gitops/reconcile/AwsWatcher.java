package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.policy.PolicyCheck;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.AwsPolicy;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.ShardOwnership;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * AWS has no watch, so each environment's declared resources are read on the environment's own
 * interval (spec.aws.interval, with jitter), and at once when a new revision changes what aws/
 * declares or spec.aws, or when asked. Only a revision that loads is checked; one a policy denies is only
 * reported on, never enforced.
 */
@ApplicationScoped
public class AwsWatcher implements PerEnvironmentState {

    private static final Logger LOG = Logger.getLogger(AwsWatcher.class);
    private static final Duration INVALID_RETRY = Duration.ofMinutes(1);

    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final PolicyGate policies;
    private final AwsReconciler reconciler;
    private final HealthMonitor health;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    private final ShardOwnership shards;

    /** What was last read of an environment: at which revision, what it declared and how, when to look again. */
    private record Known(Revision revision, List<AwsResource> declared, AwsPolicy policy, Instant due) {
    }

    AwsWatcher(DesiredStateWatcher watcher, RevisionReader revisions, PolicyGate policies, AwsReconciler reconciler,
            HealthMonitor health, ShardOwnership shards) {
        this.watcher = watcher;
        this.shards = shards;
        this.revisions = revisions;
        this.policies = policies;
        this.reconciler = reconciler;
        this.health = health;
    }

    @Override
    public void retain(Set<String> environments) {
        known.keySet().retainAll(environments);
        requested.retainAll(environments);
    }

    /** Asks for a check of the environment at the next tick, whatever its interval. */
    public void request(String environment) {
        requested.add(environment);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Revision current = watcher.current().orElse(null);
        if (current == null) {
            return;
        }
        boolean[] checked = {false};
        EachEnvironment.run(shards.held(watcher.environments()), "the AWS check", LOG,
                env -> checked[0] |= tick(env, current));
        if (checked[0]) {
            health.refresh();
        }
    }

    private boolean tick(String env, Revision current) {
        Known last = known.get(env);
        Instant now = Instant.now();
        boolean asked = requested.remove(env);
        if (last != null && last.revision().equals(current) && now.isBefore(last.due()) && !asked) {
            return false;
        }
        EnvironmentRevision read = revisions.read(env, current);
        if (!read.valid()) {
            // a revision that does not load declares nothing we can trust: keep the last check
            known.put(env, new Known(current, last == null ? List.of() : last.declared(),
                    last == null ? null : last.policy(), last == null ? now.plus(INVALID_RETRY) : last.due()));
            return false;
        }
        AwsPolicy policy = read.environment().aws();
        boolean changed = last == null || !last.declared().equals(read.aws()) || !policy.equals(last.policy());
        if (!changed && !asked && now.isBefore(last.due())) {
            known.put(env, new Known(current, last.declared(), policy, last.due()));
            return false;
        }
        if (read.aws().isEmpty() && (last == null || last.declared().isEmpty())) {
            known.put(env, new Known(current, List.of(), policy, nextDue(now, read.environment(), 0.5)));
            return false;
        }
        // the sync of this revision has checked it already; only a revision not synced yet is checked here
        PolicyCheck verdict = policies.latest(env).filter(c -> c.revision().equals(current.sha()))
                .orElseGet(() -> policies.check(current, current, read));
        boolean allowed = !verdict.rejected();
        reconciler.check(read.environment(), current, read.aws(), allowed);
        known.put(env, new Known(current, read.aws(), policy,
                nextDue(Instant.now(), read.environment(), ThreadLocalRandom.current().nextDouble())));
        return true;
    }

    /** When the check after this one is due: the interval, give or take a tenth, so environments spread out. */
    static Instant nextDue(Instant now, EnvironmentSpec environment, double random) {
        long interval = environment.aws().interval().toMillis();
        return now.plusMillis(Math.round(interval * (0.9 + 0.2 * random)));
    }
}
