package ai.treum.gitops.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An environment as its environment.yaml declares it.
 *
 * @param namespace the namespace of its objects that name none
 * @param scope     what its objects may be: the namespaces and cluster-scoped kinds it may write
 * @param health    {@code spec.health}: what healthy and degraded mean for kinds the daemon has no check of
 * @param cluster   {@code spec.cluster}: the cluster its objects live in
 * @param notifications {@code spec.notifications}: who hears of rollbacks, denials, failures and syncs
 * @param promotion {@code spec.promotion}: the environment whose proven images alone this one takes
 */
public record EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout,
        Scope scope, List<HealthRule> health, ClusterTarget cluster, List<NotificationTarget> notifications,
        Optional<Promotion> promotion) {

    public EnvironmentSpec {
        health = List.copyOf(health);
        notifications = List.copyOf(notifications);
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout,
            Scope scope, List<HealthRule> health, ClusterTarget cluster, List<NotificationTarget> notifications) {
        this(name, namespace, sync, aws, rollout, scope, health, cluster, notifications, Optional.empty());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout,
            Scope scope, List<HealthRule> health) {
        this(name, namespace, sync, aws, rollout, scope, health, ClusterTarget.IN_CLUSTER, List.of());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout,
            Scope scope) {
        this(name, namespace, sync, aws, rollout, scope, List.of());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync) {
        this(name, namespace, sync, AwsPolicy.defaults(), RolloutPolicy.defaults());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws) {
        this(name, namespace, sync, aws, RolloutPolicy.defaults());
    }

    public EnvironmentSpec(String name, String namespace, SyncPolicy sync, AwsPolicy aws, RolloutPolicy rollout) {
        this(name, namespace, sync, aws, rollout, Scope.of(namespace));
    }

    /**
     * Where the environment may write. Its own Namespace objects are always allowed; any other
     * cluster-scoped object only when its kind is listed ({@code ClusterRole} or
     * {@code rbac.authorization.k8s.io/ClusterRole}).
     *
     * @param namespaces    {@code spec.namespaces}, which always holds {@code spec.namespace}
     * @param clusterScoped {@code spec.clusterScoped}: kinds, each alone or as {@code group/kind}
     */
    public record Scope(Set<String> namespaces, Set<String> clusterScoped) {

        public Scope {
            namespaces = Set.copyOf(namespaces);
            clusterScoped = Set.copyOf(clusterScoped);
        }

        /** Only the one namespace, and no cluster-scoped object but that Namespace itself. */
        public static Scope of(String namespace) {
            return new Scope(namespace == null ? Set.of() : Set.of(namespace), Set.of());
        }

        public boolean allowsKind(String group, String kind) {
            return clusterScoped.contains(kind) || clusterScoped.contains(group + "/" + kind);
        }
    }

    /**
     * The health of one kind, as CEL expressions over its live {@code object}: DEGRADED when
     * {@code degraded} holds, HEALTHY when {@code healthy} does, PROGRESSING otherwise. It stands
     * before the daemon's own check of the kind.
     *
     * @param kind     {@code Kind} or {@code group/Kind}, as {@code cert-manager.io/Certificate}
     * @param degraded may be null
     * @param source   where environment.yaml declares it
     */
    public record HealthRule(String kind, String healthy, String degraded, SourceLocation source) {
    }

    /**
     * How the environment's declared AWS resources are kept.
     *
     * @param region           the region of its resources, or null for the daemon's
     * @param enforce          change what differs where the allow-list permits; off (observe), only report
     * @param interval         how often AWS is read (it has no watch), with up to a tenth of jitter
     * @param applyImmediately RDS changes now rather than in the maintenance window
     */
    public record AwsPolicy(String region, boolean enforce, Duration interval, boolean applyImmediately) {

        public static AwsPolicy defaults() {
            return new AwsPolicy(null, false, Duration.ofMinutes(5), false);
        }
    }

    /**
     * How the environment syncs.
     *
     * @param auto            sync on every new revision and every interval, not only on request
     * @param prune           delete objects that Git no longer declares
     * @param selfHeal        Git wins over hand edits: take back fields another manager changed
     * @param interval        how often to resync when nothing else asks
     * @param allowEmpty      allow a prune that would leave the environment with no objects
     * @param maxPrunePercent most of the inventory one sync may delete; above it, nothing is pruned
     */
    public record SyncPolicy(boolean auto, boolean prune, boolean selfHeal, Duration interval, boolean allowEmpty,
            int maxPrunePercent) {

        public static SyncPolicy defaults() {
            return new SyncPolicy(true, false, false, Duration.ofMinutes(3), false, 50);
        }
    }

    /**
     * A change of an image is taken only once another environment has run that exact image healthy
     * for a while: production after staging.
     *
     * @param from            the environment that proves images first
     * @param healthyFor      how long its revision running them must have been healthy
     * @param requireAnalysis whether that revision must also have passed its rollout analysis
     */
    public record Promotion(String from, Duration healthyFor, boolean requireAnalysis) {
    }
}
