package ai.treum.gitops.reconcile;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.notify.Notification;
import ai.treum.gitops.core.notify.Notification.Reason;
import ai.treum.gitops.core.policy.PolicyBinding.Action;
import ai.treum.gitops.core.policy.PolicyCheck;
import ai.treum.gitops.core.policy.PolicyFinding;
import ai.treum.gitops.core.policy.PolicyReport;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.schema.OpenApi;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.AdmittedObjects;
import ai.treum.gitops.port.DesiredStateSource;
import ai.treum.gitops.port.EventRecorder;
import ai.treum.gitops.port.EventRecorder.ObjectEvent;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Checks each revision of an environment against policies/ at the head of the tracked branch,
 * before anything is applied: a rollback to an old revision meets today's policies, never the
 * ones that revision carried. Policies are compiled once per content of policies/, not per sync, and
 * an unchanged environment under unchanged policies is not evaluated again. New findings
 * become Kubernetes Events on their objects (Deny and Warn) and log lines (all three actions);
 * the latest check of every environment feeds the status API and {@code policy_violations}.
 */
@ApplicationScoped
public class PolicyGate implements PerEnvironmentState {

    private static final Logger LOG = Logger.getLogger(PolicyGate.class);

    private final DesiredStateSource source;
    private final EventRecorder events;
    private final Notifications notifications;
    private final GitopsMetrics metrics;
    private final int eventLimit;
    private final Map<String, PolicyCheck> latest = new ConcurrentHashMap<>();
    private volatile Cached cached;
    private final PolicyEvaluations evaluations;
    private final BiFunction<String, JsonNode, JsonNode> presented;

    private record Cached(List<SourceFile> files, PolicySet.Compiled compiled) {
    }

    PolicyGate(DesiredStateSource source, EventRecorder events, GitopsMetrics metrics, GitopsConfig config,
            PolicyPool pool, AdmittedObjects admitted, Notifications notifications) {
        this.source = source;
        this.notifications = notifications;
        this.evaluations = new PolicyEvaluations(pool, config.policies().serverDefaults());
        OpenApi documents = OpenApi.shipped();
        this.presented = config.policies().serverDefaults()
                ? (env, body) -> admitted.admitted(env, body).orElseGet(() -> documents.presented(body))
                : (env, body) -> documents.presented(body);
        this.events = events;
        this.metrics = metrics;
        this.eventLimit = config.eventsPerSync();
    }

    /**
     * Checks and records: the environment's latest check, its new findings as Events and log lines.
     *
     * @param head     the branch head, whose policies/ decide
     * @param revision the revision checked, which is {@code head} unless a rollback applies an older one
     */
    public PolicyCheck check(Revision head, Revision revision, EnvironmentRevision read) {
        String env = read.environment().name();
        PolicyCheck check = evaluate(head, revision, read);
        PolicyCheck previous = latest.put(env, check);
        report(env, revision, check, previous);
        metrics.policyViolations(new TreeMap<>(latest));
        return check;
    }

    /** The check alone, recording nothing: for a rollback that is asked for but not yet accepted. */
    public PolicyCheck evaluate(Revision head, Revision revision, EnvironmentRevision read) {
        String env = read.environment().name();
        PolicySet.Compiled compiled = compiled(source.policies(head));
        if (!compiled.valid()) {
            return new PolicyCheck(revision.sha(), compiled.errors(), PolicyReport.NONE, Map.of());
        }
        PolicyPool.Evaluation evaluated = evaluations.evaluate(env, read, compiled, body -> presented.apply(env, body));
        return new PolicyCheck(revision.sha(), evaluated.errors(), evaluated.report(), compiled.policies().bound(env));
    }

    @Override
    public void retain(Set<String> environments) {
        latest.keySet().retainAll(environments);
        evaluations.retain(environments);
        metrics.policyViolations(new TreeMap<>(latest));
    }

    public Optional<PolicyCheck> latest(String environment) {
        return Optional.ofNullable(latest.get(environment));
    }

    private PolicySet.Compiled compiled(List<SourceFile> files) {
        Cached current = cached;
        if (current == null || !current.files().equals(files)) {
            current = new Cached(files, PolicySet.compile(files));
            cached = current;
        }
        return current.compiled();
    }

    /** Logs and records only what is new since the previous check, so a periodic sync repeats nothing. */
    private void report(String env, Revision revision, PolicyCheck check, PolicyCheck previous) {
        if (previous == null || !previous.errors().equals(check.errors())) {
            check.errors().forEach(e -> LOG.errorf("environment %s: policies/ unusable at %s: %s", env,
                    revision.shortSha(), e));
        }
        Set<PolicyFinding> known = previous == null ? Set.of() : new HashSet<>(previous.findings());
        List<PolicyFinding> fresh = check.findings().stream().filter(f -> !known.contains(f)).toList();
        fresh.forEach(f -> LOG.warnf("environment %s revision %s: %s", env, revision.shortSha(), f));
        // every replica checks; only the one holding the environment's shard notifies and records
        // Events, which the notifier and the event recorder see to themselves
        List<PolicyFinding> denied = fresh.stream().filter(f -> f.action() == Action.DENY).toList();
        if (!denied.isEmpty()) {
            notifications.tell(env, Reason.POLICY_VIOLATION, revision.sha(), "revision " + revision.shortSha()
                    + " not applied: " + Notification.firstOf(denied.stream().map(f -> "policy " + f.policy() + ": "
                    + f.message()).toList()));
        }
        fresh.stream().filter(f -> f.action() != Action.AUDIT).limit(eventLimit).forEach(f -> events.record(env,
                new ObjectEvent(f.key(), true, f.action() == Action.DENY ? "PolicyViolation" : "PolicyWarning",
                        (f.action() == Action.DENY ? "revision " + revision.shortSha() + " not applied: "
                                : "revision " + revision.shortSha() + " applied with a warning: ")
                                + "policy " + f.policy() + ": " + f.message())));
    }
}
