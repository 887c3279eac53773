package ai.treum.gitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a running daemon did to an environment: syncs, rollbacks, AWS changes. */
@Command(name = "history", mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  treum-gitops history --env production",
                "  treum-gitops history --env production --limit 100 -o json"}, sortOptions = false,
        description = {"Show what a running daemon did to an environment, newest first: every sync that wrote,",
                "failed or ended differently, every rollback and every AWS change, kept across restarts.",
                "A revision shown here as synced can be named to rollback --to by its first characters.",
                "Exit status: 0 shown, 1 unknown environment, 2 when the daemon cannot be asked."})
public class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "The environment.")
    String environment;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N",
            description = "The newest N records (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    DaemonOptions daemon;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String path = "/api/v1/environments/" + environment + "/history?limit=" + limit;
        DaemonClient.Answer answer = DaemonClient.ask(daemon, spec.commandLine().getErr(), c -> c.get(path)).orElse(null);
        if (answer == null) {
            return 2;
        }
        if (answer.status() != 200) {
            spec.commandLine().getErr().println(answer.body().path("detail").asText("HTTP " + answer.status()));
            return answer.status() == 404 ? 1 : 2;
        }
        if (!output.printed(answer.body(), out)) {
            out.printf("%-20s %-8s %-12s %-16s %-12s %-28s %s%n", "FINISHED", "WHAT", "REVISION", "TRIGGER", "RESULT",
                    "COUNTS", "MESSAGE");
            answer.body().path("records").forEach(r -> out.println(row(r)));
            if (!answer.body().path("unreadable").isNull() && !answer.body().path("unreadable").isMissingNode()) {
                out.println("(the stored history cannot be read now: " + answer.body().path("unreadable").asText() + ")");
            }
            out.flush();
        }
        return 0;
    }

    private static String row(JsonNode record) {
        String revision = record.path("revision").asText("");
        String user = record.path("user").asText("");
        List<String> counts = new ArrayList<>();
        record.path("counts").fields().forEachRemaining(c -> counts.add(c.getKey() + " " + c.getValue().asInt()));
        return String.format("%-20s %-8s %-12s %-16s %-12s %-28s %s", record.path("finished").asText().replace('T', ' ')
                .replaceAll("\\.\\d+Z$", "Z"), record.path("kind").asText().toLowerCase(),
                revision.length() > 12 ? revision.substring(0, 12) : revision,
                record.path("trigger").asText() + (user.isEmpty() ? "" : " (" + user + ")"),
                record.path("result").asText(), counts.isEmpty() ? "–" : String.join(", ", counts),
                record.path("message").asText());
    }
}
