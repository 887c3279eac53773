package ai.treum.gitops.config;

import ai.treum.gitops.core.load.Boundary;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the daemon's own; Quarkus and the Kubernetes client keep theirs. */
@ConfigMapping(prefix = "treum-gitops")
public interface GitopsConfig {

    /** How often the reachability of every peer is checked and changes are logged. */
    @WithDefault("60s")
    Duration reportInterval();

    /** Where the daemon keeps its clone of the repository; an emptyDir is enough. */
    @WithDefault("${java.io.tmpdir}/treum-gitops")
    Path dataDir();

    /** The namespace holding the daemon's own objects, such as each environment's inventory. */
    @WithDefault("treum-gitops")
    String namespace();

    /**
     * Objects the platform team lets one environment write beyond its namespaces and cluster-scoped
     * kinds, each {@code environment:Kind/namespace/name} or {@code environment:Kind/name}: an
     * add-on's RoleBinding in kube-system. Git cannot widen this; the daemon's RBAC and admission
     * policy (k8s/) must allow the same objects, or the API server refuses them.
     */
    Optional<List<String>> boundaryGrants();

    /** A daemon namespace and {@link #boundaryGrants()}, as the loader applies them. */
    default Boundary boundary(String daemonNamespace) {
        return Boundary.parse(daemonNamespace, boundaryGrants().orElse(List.of()));
    }

    /** How long custom resources wait for their CustomResourceDefinition to become established. */
    @WithDefault("60s")
    Duration crdEstablishTimeout();

    /** How often every environment's health is recomputed from the live objects. */
    @WithDefault("5s")
    Duration healthInterval();

    /** Most Kubernetes Events one sync records on the objects it touched; the rest are counted in the log. */
    @WithDefault("50")
    int eventsPerSync();

    /** How many records of each environment's history are kept: syncs, rollbacks, AWS changes. */
    @WithDefault("100")
    int historyKept();

    /** How many objects of one wave are applied at once (16 measured fastest on 2 cores; docs/benchmarks.md). */
    @WithDefault("16")
    int applyConcurrency();

    /**
     * The longest a pre-sync hook (a migration Job) is waited for, whatever its
     * activeDeadlineSeconds in Git says: a sync never hangs on a Job for longer.
     */
    @WithDefault("30m")
    Duration hookMaxWait();

    Git git();

    Policies policies();

    Api api();

    Webhooks webhooks();

    Aws aws();

    Alerts alerts();

    Render render();

    Backups backups();

    Notifications notifications();

    /**
     * How {@code spec.notifications} are delivered. Their secrets are files of one folder (a
     * mounted Secret), named from Git; Git never says where the daemon reads them, nor where a
     * GitHub token is sent.
     */
    interface Notifications {
        @WithDefault("/etc/treum-gitops/notifications")
        Path secretsDir();

        /** Where commit statuses are posted: api.github.com, or a GitHub Enterprise server's API. */
        @WithDefault("https://api.github.com")
        URI githubApiUrl();

        /** Tries of one delivery before it is given up and counted as dead-lettered. */
        @WithDefault("5")
        int attempts();

        /** The wait before the first retry, doubled before each next one. */
        @WithDefault("1s")
        Duration retryDelay();

        /** The most deliveries to one target in a minute; more are dead-lettered, not queued without end. */
        @WithDefault("30")
        int perMinute();
    }

    Sharding sharding();

    /**
     * Several replicas share the environments out by shard, each shard held through a
     * coordination.k8s.io Lease in {@link #namespace()}. Off, this replica holds every environment.
     */
    interface Sharding {
        @WithDefault("false")
        boolean enabled();

        /** How many shards the environments are spread over; as many as replicas spreads them all. */
        @WithDefault("2")
        int shards();

        /** This replica's name in the Leases: the pod's name. */
        @WithDefault("${HOSTNAME:treum-gitops}")
        String identity();

        /** How long a Lease stays held without renewal: the longest a dead holder's shards wait. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** A holder that cannot renew within this stops writing, before its Lease runs out. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often Leases are renewed or tried, and membership is read. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    /**
     * Policy evaluation runs on a pool of its own, so CEL from Git never takes the threads of
     * syncs, webhooks or the API; each expression is also cut off by an iteration budget.
     */
    interface Policies {
        /** Threads of the policy pool. */
        @WithDefault("2")
        int threads();

        /** The longest one revision's evaluation may take; past it the revision is refused, never applied unchecked. */
        @WithDefault("60s")
        Duration timeLimit();

        /**
         * Whether policies see each object as the cluster's API server presents it, asked by a
         * server-side dry run (defaults it sets in code included), rather than with the shipped
         * OpenAPI documents' defaults alone; an object the server cannot answer for keeps those.
         */
        @WithDefault("false")
        boolean serverDefaults();
    }

    /**
     * Who may use the API and the status page. Writes (sync, rollback) always need a bearer token
     * that the API server authenticates (TokenReview) and authorizes (SubjectAccessReview on
     * {@code environments} of {@code gitops.treum.ai}). {@code /q/health}, {@code /q/metrics}
     * and the webhooks (their own signatures) stay open.
     */
    interface Api {
        /** Whether reads (the status API and the page) need a token too, with the verb get or list. */
        @WithDefault("true")
        boolean authenticateReads();
    }

    /**
     * Push webhooks. A provider without a secret is switched off: its endpoint answers 404. The
     * request body is capped by {@code quarkus.http.limits.max-body-size} before it is read.
     */
    interface Webhooks {
        Provider github();

        Provider gitlab();

        Provider generic();

        /** How many delivery ids are remembered to refuse replays. */
        @WithDefault("10000")
        int rememberedDeliveries();

        interface Provider {
            /** The shared secret, from an environment variable such as TREUM_GITOPS_WEBHOOKS_GITHUB_SECRET. */
            Optional<String> secret();

            /** Or from a file (a mounted Secret), read on every request so a rotation needs no restart. */
            Optional<Path> secretFile();
        }
    }

    interface Git {
        /** The desired-state repository: {@code https://}, {@code ssh://} or {@code file://}; {@code serve} needs it. */
        Optional<String> url();

        @WithDefault("main")
        String branch();

        /** The folder of the repository that holds one folder per environment. */
        @WithDefault("environments")
        String path();

        /** The folder of ValidatingAdmissionPolicies every environment's revision is checked against. */
        @WithDefault("policies")
        String policiesPath();

        @WithDefault("60s")
        Duration pollInterval();

        /** Longest wait between fetches while the repository is unreachable. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** The longest wait for any one read from the remote. */
        @WithDefault("30s")
        Duration timeout();

        /** The longest a clone, fetch or push may take in all, however the remote trickles its bytes. */
        @WithDefault("10m")
        Duration transferLimit();

        /** The largest file of environments/ or policies/ that is read; a larger one is a load error of its own. */
        @WithDefault("1048576")
        long maxFileBytes();

        /** The most one environment's folder (or policies/) may hold in files together. */
        @WithDefault("33554432")
        long maxFolderBytes();

        /** User name sent with the https token ({@code x-access-token} for GitHub apps). */
        @WithDefault("git")
        String username();

        /** File holding the https token, read on every fetch, so a rotated Secret needs no restart. */
        Optional<Path> tokenFile();

        /** Private key for ssh URLs. */
        Optional<Path> sshKeyFile();

        /** known_hosts for ssh URLs; without one no host is trusted. */
        Optional<Path> sshKnownHostsFile();
    }

    interface Aws {
        /** Region of the AWS clients; absent means the SDK's default region chain. */
        Optional<String> region();

        /** Endpoint for every AWS service (moto_server in tests); absent means AWS itself. */
        Optional<URI> endpointOverride();
    }

    /**
     * Where alert rules go when the cluster has no PrometheusRule CRD: rule files in a folder a
     * Prometheus server reads ({@code rule_files: [<dir>/*.yaml]}), which is then reloaded.
     */
    interface Alerts {
        /** The folder; each environment's rule files are {@code <environment>_<PrometheusRule name>.yaml}. */
        Optional<Path> rulesDir();

        /** The Prometheus server that reads the folder: reloaded, then asked which groups it loaded. */
        Optional<URI> prometheusUrl();

        /** promtool, for PromQL syntax; when it cannot be run, the structural check stands alone. */
        @WithDefault("promtool")
        String promtool();

        /** How often the environments' alert rules are checked for a new revision, and failed installs retried. */
        @WithDefault("30s")
        Duration interval();
    }

    /**
     * The renderers of kustomizations and Helm charts: pinned binaries shipped beside the daemon,
     * run in a scratch folder holding only the repository's files, with no network, a time limit
     * and a cap on what they print.
     */
    interface Render {
        /** kustomize's path, or its name on the PATH. */
        @WithDefault("kustomize")
        String kustomize();

        /** helm's path, or its name on the PATH. */
        @WithDefault("helm")
        String helm();

        /** How long one rendering may take before it is killed and the revision rejected. */
        @WithDefault("30s")
        Duration timeout();

        /** The most one rendering may print; more rejects the revision. */
        @WithDefault("33554432")
        long maxOutputBytes();
    }

    interface Backups {
        /** How often each BackupPolicy's newest dump is verified in S3 and retention applied. */
        @WithDefault("5m")
        Duration interval();

        /**
         * Where retention may delete: destinations ({@code s3://bucket/prefix/}, or a start of one)
         * the operator allows. A BackupPolicy elsewhere keeps every dump; Git alone cannot point
         * retention at a bucket.
         */
        Optional<List<String>> retentionAllowList();

        /** The newest dumps retention keeps, whatever their age. */
        @WithDefault("3")
        int minKeep();

        /** How often each environment's live objects (Secrets excluded) are written to its backup bucket. */
        @WithDefault("1h")
        Duration exportInterval();
    }
}
