package ai.treum.gitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What every command line user expects: examples in each command's help, and shell completion. */
@QuarkusMainTest
@Tag("peer")
class CliConventionsTest {

    @Test
    void everyCommandsHelpEndsWithExamplesOfIt(QuarkusMainLauncher launcher) {
        for (String command : List.of("serve", "validate", "plan", "status", "sync", "rollback", "history")) {
            LaunchResult help = launcher.launch(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            String output = help.getOutput();
            assertThat(output.substring(output.indexOf("Examples:"))).as(command)
                    .contains("treum-gitops " + command);
        }
    }

    @Test
    void whatACommandShowsCanBeTextJsonOrYaml(QuarkusMainLauncher launcher) {
        for (String command : List.of("status", "plan", "history")) {
            assertThat(launcher.launch(command, "--help").getOutput()).as(command)
                    .contains("-o, --output=FORMAT", "text, json or yaml");
        }
        LaunchResult wrong = launcher.launch("status", "-o", "xml");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.getErrorOutput()).contains("xml", "text, json, yaml");
    }

    @Test
    void picocliGeneratesTheShellCompletionOfEveryCommand(QuarkusMainLauncher launcher) {
        LaunchResult completion = launcher.launch("generate-completion");

        assertThat(completion.exitCode()).isZero();
        assertThat(completion.getOutput()).contains("complete -F _complete_treum-gitops", "function _picocli_treum-gitops_plan",
                "--kubeconfig", "function _picocli_treum-gitops_validate");
    }
}
