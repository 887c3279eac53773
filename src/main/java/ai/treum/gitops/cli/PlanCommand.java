package ai.treum.gitops.cli;

import ai.treum.gitops.adapter.git.LocalCheckout;
import ai.treum.gitops.adapter.kubernetes.ClusterConnector;
import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.aws.AwsDiff;
import ai.treum.gitops.core.aws.AwsDrift;
import ai.treum.gitops.core.inventory.PrunePlan;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.core.rollout.Rendered;
import ai.treum.gitops.core.rollout.RolloutRenderer;
import ai.treum.gitops.core.rollout.RolloutState;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ObjectDrift;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.model.SyncPlan;
import ai.treum.gitops.port.AwsReader;
import ai.treum.gitops.port.EksAccess;
import ai.treum.gitops.port.ManifestRenderer;
import ai.treum.gitops.reconcile.EnvironmentSync;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.SyncObserver;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What a sync of an environment's files would do to a live cluster, like {@code kubectl diff}:
 * the API server computes every object by a server-side dry-run apply, so its defaults and
 * admission show; nothing is written.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops plan --env staging",
                "  treum-gitops plan --env production --kubeconfig ~/.kube/management.yaml"}, sortOptions = false,
        description = {"Show what syncing an environment would change in a live cluster (read-only).",
                "A unified diff per object from a server-side dry-run apply, then what would be pruned;",
                "Secret values are never shown. Exit status: 0 no changes, 1 changes, 2 errors."})
public class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @Option(names = "--daemon-namespace", defaultValue = "treum-gitops", paramLabel = "NAME",
            description = "The daemon's own namespace, which no environment may write to (default: ${DEFAULT-VALUE}).")
    String daemonNamespace;

    @Option(names = "--dir", defaultValue = "environments", paramLabel = "DIR",
            description = "Folder with one folder per environment (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Mixin
    OutputOption output;

    @Option(names = "--revision", paramLabel = "SHA", description = "The commit these files are (default: the "
            + "checkout's HEAD): the rollout step and hook Jobs are the sync's of this revision.")
    String revision;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The daemon's own cluster (default: KUBECONFIG); "
            + "an environment whose spec.cluster names another is compared with that one, reached as the daemon does.")
    Path kubeconfig;

    private final Instance<KubernetesClient> defaultClient;
    private final Instance<EksAccess> eks;
    private final GitopsConfig config;
    private final ManifestRenderer renderer;
    private final Instance<AwsReader> aws;

    PlanCommand(Instance<KubernetesClient> defaultClient, Instance<EksAccess> eks, GitopsConfig config,
            ManifestRenderer renderer, Instance<AwsReader> aws) {
        this.aws = aws;
        this.defaultClient = defaultClient;
        this.eks = eks;
        this.config = config;
        this.renderer = renderer;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path folder = dir.resolve(environment);
        if (!Files.isDirectory(folder)) {
            err.println("no environment " + environment + " in " + dir);
            return 2;
        }
        EnvironmentRevision read = EnvironmentFolder.read(environment, folder, config.boundary(daemonNamespace), renderer);
        if (!read.valid()) {
            read.errors().forEach(err::println);
            return 2;
        }
        KubernetesClient home = kubeconfig == null ? defaultClient.get()
                : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        KubernetesClient client;
        try {
            client = new ClusterConnector(home, config.namespace(), eks::get).connect(read.environment().cluster());
        } catch (RuntimeException e) {
            err.println("cannot connect to cluster " + read.environment().cluster().id() + " of environment " + environment
                    + ": " + e.getMessage());
            return 2;
        }
        KubernetesCluster cluster = new KubernetesCluster(client, Duration.ofSeconds(30));
        ConfigMapInventoryStore inventory = new ConfigMapInventoryStore(client, config.namespace());
        EnvironmentSync sync = new EnvironmentSync(cluster, cluster, inventory, SyncObserver.NONE, 4);
        String revision = this.revision != null ? this.revision : LocalCheckout.head(folder).orElse("working-tree");
        PlanReport report = new PlanReport(environment);
        Map<String, String> marks = inventory.marks(environment);
        String healthy = marks.get(RolloutGuard.HEALTHY);
        if (healthy != null && revision.equals(marks.get(RolloutGuard.ROLLED_BACK))) {
            // as the sync does: while Git's head is a revision that was rolled back, the healthy one is applied
            Optional<EnvironmentRevision> instead = atCommit(healthy).filter(EnvironmentRevision::valid);
            report.add(new PlanReport.Entry(PlanReport.Action.NOTE, "", "revision " + new Revision(revision).shortSha()
                    + " was rolled back; until Git moves on the sync applies the healthy revision "
                    + new Revision(healthy).shortSha() + (instead.isPresent() ? ", planned here"
                            : ", which is not in this checkout: this plan of the rolled-back files is not what it does"),
                    List.of(), ""));
            if (instead.isPresent()) {
                read = instead.get();
                revision = healthy;
            }
        }
        Rendered rendered = rendered(read, revision, marks, report);
        EnvironmentSync.Preview preview = sync.preview(read.environment(), revision, rendered);
        if (preview.plan().rejected()) {
            preview.plan().errors().forEach(err::println);
            return 2;
        }
        objects(read, rendered, preview.plan(), cluster, report);
        preview.preSyncJobs().forEach(job -> report.add(new PlanReport.Entry(PlanReport.Action.RUN, job.key().toString(),
                "pre-sync Job, run to completion before the workloads change", List.of(), "")));
        rendered.postSync().forEach(job -> report.add(new PlanReport.Entry(PlanReport.Action.RUN, job.key().toString(),
                "post-sync Job, run once the revision is healthy", List.of(), "")));
        prune(preview, rendered, report);
        aws(read, report);
        if (!output.printed(report.toJson(), out)) {
            report.printText(out);
        }
        out.flush();
        if (report.count(PlanReport.Action.FAILED) > 0) {
            return 2;
        }
        return report.count(PlanReport.Action.ADD) + report.count(PlanReport.Action.CHANGE)
                + report.count(PlanReport.Action.PRUNE) + report.count(PlanReport.Action.AWS_CHANGE) == 0 ? 0 : 1;
    }

    /**
     * The revision at the step of its rollout, as the sync renders it: blue-green colours and
     * canaries against the healthy revision (read from this checkout's history) and the rollout
     * state the daemon keeps in the cluster.
     */
    private Rendered rendered(EnvironmentRevision read, String revision, Map<String, String> marks, PlanReport report)
            throws IOException {
        String healthy = marks.get(RolloutGuard.HEALTHY);
        Optional<List<DesiredResource>> stable = Optional.empty();
        if (healthy != null && !healthy.equals(revision)) {
            EnvironmentRevision old = atCommit(healthy).orElse(null);
            if (old != null && old.valid()) {
                stable = Optional.of(old.kubernetes());
            } else {
                report.add(new PlanReport.Entry(PlanReport.Action.NOTE, "", "the healthy revision " + healthy
                        + (old == null ? " is not in this checkout's history" : " does not load")
                        + ": blue-green and canary workloads are shown as if no rollout were under way", List.of(), ""));
            }
        }
        return RolloutRenderer.render(read.environment().rollout(), revision, read.kubernetes(), stable,
                RolloutState.of(marks));
    }

    /** The environment's files at a commit of this checkout, read as the daemon reads them; empty when it is not there. */
    private Optional<EnvironmentRevision> atCommit(String sha) {
        return LocalCheckout.files(dir, environment, sha).map(files -> EnvironmentRevision.read(environment,
                dir.resolve(environment).toString(), files, config.boundary(daemonNamespace), renderer::render));
    }

    /** Each object the sync would write (the sync's own comparison), shown as a server-side dry-run apply leaves it. */
    private void objects(EnvironmentRevision read, Rendered rendered, SyncPlan plan, KubernetesCluster cluster,
            PlanReport report) {
        Set<ResourceKey> differing = plan.drift().stream().map(ObjectDrift::key).collect(Collectors.toSet());
        // the API server cannot dry-run an object into a namespace that does not exist yet
        Set<String> newNamespaces = rendered.objects().stream().filter(r -> r.key().kind().equals("Namespace")
                && r.key().group().isEmpty()).filter(r -> cluster.get(r.apiVersion(), r.key()).isEmpty())
                .map(r -> r.key().name()).collect(Collectors.toSet());
        for (DesiredResource loaded : rendered.objects()) {
            DesiredResource resource = Ownership.stamp(loaded, environment);
            String object = resource.key().toString();
            if (!cluster.serves(resource.apiVersion(), resource.key().kind())) {
                report.add(new PlanReport.Entry(PlanReport.Action.UNKNOWN_KIND, object, "the cluster does not serve "
                        + resource.apiVersion() + " " + resource.key().kind() + (Ownership.annotated(resource.body(),
                                Ownership.OPTIONAL_ANNOTATION, "true") ? " (optional: skipped)"
                                : " (unless a CRD in this revision defines it)"), List.of(), ""));
                continue;
            }
            if (!differing.contains(resource.key())) {
                continue;
            }
            if (!resource.key().clusterScoped() && newNamespaces.contains(resource.key().namespace())) {
                report.add(new PlanReport.Entry(PlanReport.Action.ADD, object,
                        "new, in a namespace this sync creates; as Git declares it",
                        ObjectText.lines(resource.body()).stream().map(line -> "+" + line).toList(), ""));
                continue;
            }
            Optional<ObjectNode> live = cluster.get(resource.apiVersion(), resource.key());
            KubernetesCluster.DryRun dry = cluster.dryRunApply(resource, read.environment().sync().selfHeal());
            if (dry.failure() != null) {
                report.add(new PlanReport.Entry(PlanReport.Action.FAILED, object, dry.failure().toString(), List.of(), ""));
                continue;
            }
            List<String> before = live.map(ObjectText::lines).orElse(List.of());
            List<String> after = ObjectText.lines(dry.result());
            boolean secretChanged = live.isPresent() && ObjectText.secretValuesDiffer(live.get(), dry.result());
            report.add(new PlanReport.Entry(live.isEmpty() ? PlanReport.Action.ADD : PlanReport.Action.CHANGE, object,
                    live.isEmpty() ? "new" : "", UnifiedDiffUtils.generateUnifiedDiff("live/" + object,
                            "desired/" + object, before, DiffUtils.diff(before, after), 3),
                    secretChanged ? "Secret values differ; values are never shown" : ""));
        }
    }

    /**
     * The declared AWS resources against AWS, as the AWS check compares them: what enforce mode
     * would change, what observe mode only reports, and what needs a person.
     */
    private void aws(EnvironmentRevision read, PlanReport report) {
        if (read.aws().isEmpty()) {
            return;
        }
        List<AwsDrift> drift;
        try {
            drift = AwsDiff.diff(read.aws(), aws.get().read(read.environment().aws().region(), read.aws()), environment);
        } catch (RuntimeException e) {
            report.add(new PlanReport.Entry(PlanReport.Action.NOTE, "", "AWS not planned: " + Redactions.urlsIn(
                    String.valueOf(e.getMessage())), List.of(), ""));
            return;
        }
        boolean enforce = read.environment().aws().enforce();
        for (AwsDrift d : drift) {
            String what = !d.enforceable() ? "needs a person: " + d.note()
                    : enforce ? "would be changed (spec.aws.mode: enforce)" : "reported only (spec.aws.mode: observe)";
            report.add(new PlanReport.Entry(d.enforceable() && enforce ? PlanReport.Action.AWS_CHANGE
                    : PlanReport.Action.AWS_DRIFT, d.resource().toString(), what,
                    List.of(d.missing() ? "does not exist in AWS" : "spec." + d.field() + ": " + d.live() + " -> "
                            + d.declared()), ""));
        }
    }

    /** What the sync would delete and keep, by the sync's own prune computation and guards. */
    private static void prune(EnvironmentSync.Preview preview, Rendered rendered, PlanReport report) {
        PrunePlan plan = preview.prune();
        if (plan.blocked() != null) {
            report.add(new PlanReport.Entry(PlanReport.Action.PRUNE_BLOCKED, "", plan.blocked(), List.of(), ""));
            return;
        }
        plan.kept().forEach(k -> report.add(new PlanReport.Entry(PlanReport.Action.KEEP, k.entry().key().toString(),
                "no longer in Git, kept (" + k.reason() + ")", List.of(), "")));
        for (InventoryEntry entry : plan.delete()) {
            report.add(new PlanReport.Entry(PlanReport.Action.PRUNE, entry.key().toString(),
                    rendered.retired().contains(entry.key()) ? "retired by the rollout" : "", List.of(), ""));
        }
        preview.leftInPlace().forEach(e -> report.add(new PlanReport.Entry(PlanReport.Action.KEEP, e.key().toString(),
                "no longer in Git, left in place (prune is off)", List.of(), "")));
    }
}
