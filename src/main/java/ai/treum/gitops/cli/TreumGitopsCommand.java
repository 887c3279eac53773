package ai.treum.gitops.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The command line: the daemon ({@code serve}) and the tools around it. */
@Command(name = "treum-gitops", mixinStandardHelpOptions = true, version = "treum-gitops 0.1.0",
        description = "Keeps TREUM's environments equal to what Git says.",
        subcommands = {ServeCommand.class, ValidateCommand.class, PlanCommand.class, StatusCommand.class,
                SyncCommand.class, RollbackCommand.class, HistoryCommand.class, PromoteCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Shell completion (bash, zsh): source <(treum-gitops generate-completion)"})
public class TreumGitopsCommand {
}
