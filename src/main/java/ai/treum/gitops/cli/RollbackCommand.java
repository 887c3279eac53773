package ai.treum.gitops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Asks a running daemon to roll an environment back now. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops rollback --env production",
                "  treum-gitops history --env production",
                "  treum-gitops rollback --env production --to 3f9c2e1a --token-file token"}, sortOptions = false,
        description = {"Ask a running daemon to roll an environment back: Git's head gives way to the last healthy",
                "revision (or to --to) until a new commit arrives.",
                "Exit status: 0 queued, 1 unknown environment or nothing to roll back to, 2 when the daemon cannot be asked."})
public class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @Option(names = "--to", paramLabel = "REVISION", description = "A revision the environment synced: its full "
            + "commit SHA, or the first 7 or more characters of one that history --env shows synced "
            + "(default: the last healthy revision).")
    String to;

    @Mixin
    DaemonOptions daemon;

    @Override
    public Integer call() throws InterruptedException {
        String path = "/api/v1/environments/" + environment + "/rollback" + (to == null ? "" : "?to=" + to);
        DaemonClient.Answer answer = DaemonClient.ask(daemon, spec.commandLine().getErr(), c -> c.post(path)).orElse(null);
        if (answer == null) {
            return 2;
        }
        if (answer.status() == 202) {
            spec.commandLine().getOut().printf("%s: %s rolled back to %s; see: status --env %s%n", environment,
                    answer.body().path("rolledBack").asText(), answer.body().path("to").asText(), environment);
            spec.commandLine().getOut().flush();
            return 0;
        }
        spec.commandLine().getErr().println(answer.body().path("detail").asText("HTTP " + answer.status()));
        return answer.status() == 404 || answer.status() == 409 || answer.status() == 400 ? 1 : 2;
    }
}
