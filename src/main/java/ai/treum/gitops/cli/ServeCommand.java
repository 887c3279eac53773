package ai.treum.gitops.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** Runs the daemon until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  KUBECONFIG=~/.kube/config TREUM_GITOPS_GIT_URL=https://github.com/treum/infra.git treum-gitops serve"},
        description = "Run the daemon: watch Git and the cluster, sync, serve the status API, webhooks and metrics.")
public class ServeCommand implements Runnable {

    @Override
    public void run() {
        Quarkus.waitForExit();
    }
}
