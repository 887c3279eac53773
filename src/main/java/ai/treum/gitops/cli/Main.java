package ai.treum.gitops.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * {@code serve} runs the daemon; every other command is a short-lived tool. Those start without
 * the HTTP server and the scheduler (so they neither take the daemon's port nor sync anything)
 * and log only warnings, to standard error, keeping standard output for their own answer.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private final CommandLine.IFactory factory;

    Main(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String... args) {
        if (args.length == 0 || !"serve".equals(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.scheduler.enabled", "false");
            System.setProperty("quarkus.log.level", "WARN");
            System.setProperty("quarkus.log.console.stderr", "true");
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        return new CommandLine(TreumGitopsCommand.class, factory).execute(args);
    }
}
