package ai.treum.gitops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Asks a running daemon to sync one environment now. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops sync --env staging --token-file /var/run/secrets/tokens/treum-operator"}, sortOptions = false,
        description = {"Ask a running daemon to sync an environment now (even with auto-sync off).",
                "Exit status: 0 queued, 1 unknown environment, 2 when the daemon cannot be asked."})
public class SyncCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @Mixin
    DaemonOptions daemon;

    @Override
    public Integer call() throws InterruptedException {
        DaemonClient.Answer answer = DaemonClient.ask(daemon, spec.commandLine().getErr(),
                c -> c.post("/api/v1/environments/" + environment + "/sync")).orElse(null);
        if (answer == null) {
            return 2;
        }
        if (answer.status() == 202) {
            spec.commandLine().getOut().println("sync of " + environment + " queued; see: status --env " + environment);
            spec.commandLine().getOut().flush();
            return 0;
        }
        spec.commandLine().getErr().println(answer.body().path("detail").asText("HTTP " + answer.status()));
        return answer.status() == 404 ? 1 : 2;
    }
}
