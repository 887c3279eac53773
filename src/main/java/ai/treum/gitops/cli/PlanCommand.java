package ai.treum.gitops.cli;

import ai.treum.gitops.adapter.kubernetes.ClusterConnector;
import ai.treum.gitops.adapter.kubernetes.ConfigMapInventoryStore;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.inventory.PrunePlan;
import ai.treum.gitops.core.inventory.PrunePlanner;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.port.EksAccess;
import ai.treum.gitops.port.ManifestRenderer;
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

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The daemon's own cluster (default: KUBECONFIG); "
            + "an environment whose spec.cluster names another is compared with that one, reached as the daemon does.")
    Path kubeconfig;

    private final Instance<KubernetesClient> defaultClient;
    private final Instance<EksAccess> eks;
    private final GitopsConfig config;
    private final ManifestRenderer renderer;

    PlanCommand(Instance<KubernetesClient> defaultClient, Instance<EksAccess> eks, GitopsConfig config,
            ManifestRenderer renderer) {
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
        EnvironmentRevision read = EnvironmentFolder.read(environment, folder, daemonNamespace, renderer);
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
        PlanReport report = new PlanReport(environment);
        // the API server cannot dry-run an object into a namespace that does not exist yet
        Set<String> newNamespaces = read.kubernetes().stream().filter(r -> r.key().kind().equals("Namespace")
                && r.key().group().isEmpty()).filter(r -> cluster.get(r.apiVersion(), r.key()).isEmpty())
                .map(r -> r.key().name()).collect(Collectors.toSet());
        for (DesiredResource loaded : read.kubernetes()) {
            DesiredResource resource = Ownership.stamp(loaded, environment);
            String object = resource.key().toString();
            if (!resource.key().clusterScoped() && newNamespaces.contains(resource.key().namespace())) {
                report.add(new PlanReport.Entry(PlanReport.Action.ADD, object,
                        "new, in a namespace this sync creates; as Git declares it",
                        ObjectText.lines(resource.body()).stream().map(line -> "+" + line).toList(), ""));
                continue;
            }
            if (!cluster.serves(resource.apiVersion(), resource.key().kind())) {
                report.add(new PlanReport.Entry(PlanReport.Action.UNKNOWN_KIND, object, "the cluster does not serve "
                        + resource.apiVersion() + " " + resource.key().kind() + (Ownership.annotated(resource.body(),
                                Ownership.OPTIONAL_ANNOTATION, "true") ? " (optional: skipped)"
                                : " (unless a CRD in this revision defines it)"), List.of(), ""));
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
            if (before.equals(after) && !secretChanged) {
                continue;
            }
            report.add(new PlanReport.Entry(live.isEmpty() ? PlanReport.Action.ADD : PlanReport.Action.CHANGE, object,
                    live.isEmpty() ? "new" : "", UnifiedDiffUtils.generateUnifiedDiff("live/" + object,
                            "desired/" + object, before, DiffUtils.diff(before, after), 3),
                    secretChanged ? "Secret values differ; values are never shown" : ""));
        }
        prune(client, cluster, read, report);
        if (!output.printed(report.toJson(), out)) {
            report.printText(out);
        }
        out.flush();
        if (report.count(PlanReport.Action.FAILED) > 0) {
            return 2;
        }
        return report.count(PlanReport.Action.ADD) + report.count(PlanReport.Action.CHANGE)
                + report.count(PlanReport.Action.PRUNE) == 0 ? 0 : 1;
    }

    private void prune(KubernetesClient client, KubernetesCluster cluster, EnvironmentRevision read, PlanReport report) {
        var inventory = new ConfigMapInventoryStore(client, config.namespace()).load(environment);
        Set<ResourceKey> desired = read.kubernetes().stream().map(DesiredResource::key).collect(Collectors.toSet());
        var sync = read.environment().sync();
        if (!sync.prune()) {
            inventory.stream().filter(e -> !desired.contains(e.key())).forEach(e -> report.add(new PlanReport.Entry(
                    PlanReport.Action.KEEP, e.key().toString(), "no longer in Git, left in place (prune is off)",
                    List.of(), "")));
            return;
        }
        PrunePlan plan = PrunePlanner.plan(inventory, desired,
                e -> PrunePlanner.keepReason(e.key(), cluster.get(e.apiVersion(), e.key()).orElse(null)),
                sync.allowEmpty(), sync.maxPrunePercent());
        if (plan.blocked() != null) {
            report.add(new PlanReport.Entry(PlanReport.Action.PRUNE_BLOCKED, "", plan.blocked(), List.of(), ""));
            return;
        }
        plan.kept().forEach(k -> report.add(new PlanReport.Entry(PlanReport.Action.KEEP, k.entry().key().toString(),
                "no longer in Git, kept (" + k.reason() + ")", List.of(), "")));
        for (InventoryEntry entry : plan.delete()) {
            report.add(new PlanReport.Entry(PlanReport.Action.PRUNE, entry.key().toString(), "", List.of(), ""));
        }
    }
}
