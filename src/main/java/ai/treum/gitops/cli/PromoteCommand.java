package ai.treum.gitops.cli;

import ai.treum.gitops.adapter.git.LocalCheckout;
import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.promotion.ImageOverrides;
import ai.treum.gitops.core.promotion.Images;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.ManifestRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Proposes the images one environment runs for another: kustomize image overrides in a Component
 * of the target's overlay, committed on a new branch of the checkout for a pull request. The
 * daemon still admits them only once the source has proven them ({@code spec.promotion}).
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops promote --from staging --to production",
                "  git push origin HEAD   # then open a pull request"}, sortOptions = false,
        description = {"Write the images an environment runs into another's overlay, as a commit on a new branch.",
                "For each image both run with another tag or digest, the target's kubernetes/promoted Component",
                "gets the source's (kustomize images:), and the target's kustomization lists the Component.",
                "Exit status: 0 committed or nothing to promote, 2 errors."})
public class PromoteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "NAME", description = "The environment whose images to take.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NAME", description = "The environment to write them to.")
    String to;

    @Option(names = "--dir", defaultValue = "environments", paramLabel = "DIR",
            description = "Folder with one folder per environment, in a Git checkout (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--branch", paramLabel = "NAME",
            description = "The branch to create (default: promote/<from>-to-<to>-<checked-out commit>).")
    String branch;

    @Option(names = "--daemon-namespace", defaultValue = "treum-gitops", paramLabel = "NAME",
            description = "The daemon's own namespace, which no environment may write to (default: ${DEFAULT-VALUE}).")
    String daemonNamespace;

    private final ManifestRenderer renderer;

    private final GitopsConfig config;

    PromoteCommand(ManifestRenderer renderer, GitopsConfig config) {
        this.config = config;
        this.renderer = renderer;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Boundary boundary = config.boundary(daemonNamespace);
        EnvironmentRevision source = EnvironmentFolder.read(from, dir.resolve(from), boundary, renderer);
        EnvironmentRevision target = EnvironmentFolder.read(to, dir.resolve(to), boundary, renderer);
        for (EnvironmentRevision read : new EnvironmentRevision[] {source, target}) {
            if (!read.valid()) {
                read.errors().forEach(err::println);
                return 2;
            }
        }
        Path manifests = dir.resolve(to).resolve("kubernetes");
        Path kustomization = manifests.resolve("kustomization.yaml");
        if (!Files.isRegularFile(kustomization)) {
            err.println("promote writes kustomize image overrides, and " + kustomization + " does not exist");
            return 2;
        }
        Map<String, ImageOverrides.Reference> changes = ImageOverrides.promote(Images.of(source.kubernetes()),
                Images.of(target.kubernetes()));
        if (changes.isEmpty()) {
            out.println("nothing to promote: " + to + " runs every image of " + from + " it shares, as " + from + " runs it");
            return 0;
        }
        String listed = ImageOverrides.withComponent(Files.readString(kustomization, StandardCharsets.UTF_8));
        if (listed == null) {
            err.println(kustomization + " has components of its own: add \"" + ImageOverrides.COMPONENT
                    + "\" to them, then promote again");
            return 2;
        }
        Path component = manifests.resolve(ImageOverrides.COMPONENT).resolve("kustomization.yaml");
        String held = Files.isRegularFile(component) ? Files.readString(component, StandardCharsets.UTF_8) : "";
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(component, ImageOverrides.component(from, ImageOverrides.held(held), changes));
        files.put(kustomization, listed);
        String head = LocalCheckout.head(dir).map(sha -> new Revision(sha).shortSha()).orElse(null);
        if (head == null) {
            err.println(dir + " is not in a Git checkout");
            return 2;
        }
        String name = branch != null ? branch : "promote/" + from + "-to-" + to + "-" + head;
        String summary = changes.entrySet().stream().map(c -> c.getKey() + c.getValue().version())
                .collect(Collectors.joining(", "));
        try {
            String commit = LocalCheckout.commitOnNewBranch(dir, name, files, "Promote " + from + "'s images to " + to
                    + "\n\n" + String.join("\n", summary.split(", ")) + "\n");
            out.println("promoted to " + to + " on branch " + name + " (" + new Revision(commit).shortSha() + "): " + summary);
            out.println("push it and open a pull request; the daemon applies it once " + from + " has proven the images");
            return 0;
        } catch (IOException e) {
            err.println("cannot commit: " + e.getMessage());
            return 2;
        }
    }
}
