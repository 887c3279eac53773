package ai.treum.gitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a running daemon says of its environments. */
@Command(name = "status", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops status",
                "  treum-gitops status --env production -o yaml --url http://treum-gitops.treum-gitops:8080"}, sortOptions = false,
        description = {"Show a running daemon's environments: revision, sync status, health, drift.",
                "Exit status: 0 when every shown environment is Synced, 1 otherwise, 2 when the daemon cannot be asked."})
public class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", paramLabel = "NAME", description = "Only this environment, with its drift and last changes.")
    String environment;

    @Mixin
    DaemonOptions daemon;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String path = "/api/v1/environments" + (environment == null ? "" : "/" + environment);
        DaemonClient.Answer answer = DaemonClient.ask(daemon, spec.commandLine().getErr(), c -> c.get(path)).orElse(null);
        if (answer == null) {
            return 2;
        }
        if (answer.status() != 200) {
            spec.commandLine().getErr().println(answer.body().path("detail").asText("HTTP " + answer.status()));
            return 2;
        }
        if (output.printed(answer.body(), out)) {
            return exitStatus(answer.body());
        }
        if (environment == null) {
            out.printf("%-20s %-10s %-12s %-12s %s%n", "ENVIRONMENT", "SYNC", "HEALTH", "REVISION", "DRIFT");
            answer.body().forEach(env -> out.println(row(env)));
        } else {
            out.println(row(answer.body()));
            answer.body().path("drift").forEach(d -> d.path("differences").forEach(line -> out.println("  drift: " + line.asText())));
            answer.body().path("lastSync").path("errors").forEach(e -> out.println("  error: " + e.asText()));
        }
        out.flush();
        return exitStatus(answer.body());
    }

    private int exitStatus(JsonNode answer) {
        boolean allSynced = environment == null
                ? !answer.findValuesAsText("syncStatus").stream().anyMatch(s -> !s.equals("Synced"))
                : "Synced".equals(answer.path("syncStatus").asText());
        return allSynced ? 0 : 1;
    }

    private static String row(JsonNode env) {
        String revision = env.path("revision").asText("");
        return String.format("%-20s %-10s %-12s %-12s %d", env.path("name").asText(), env.path("syncStatus").asText(),
                env.path("health").asText(), revision.length() > 12 ? revision.substring(0, 12) : revision,
                env.path("driftCount").asInt());
    }
}
