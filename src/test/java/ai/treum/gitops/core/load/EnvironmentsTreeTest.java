package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentsTreeTest {

    private static final Set<String> ENVIRONMENTS = Set.of("staging", "production");

    @Test
    void aFolderWithEnvironmentYamlIsAnEnvironment() {
        assertThat(EnvironmentsTree.declared("staging/environment.yaml")).contains("staging");
        assertThat(EnvironmentsTree.declared("staging/kubernetes/environment.yaml")).isEmpty();
        assertThat(EnvironmentsTree.declared("environment.yaml")).isEmpty();
    }

    @Test
    void anEnvironmentReadsItsOwnFilesAndTheSharedFoldersNeverAnotherEnvironmentsOrLooseFiles() {
        assertThat(EnvironmentsTree.readWith("staging/kubernetes/app.yaml", "staging", ENVIRONMENTS)).isTrue();
        assertThat(EnvironmentsTree.readWith("base/kubernetes/app.yaml", "staging", ENVIRONMENTS)).isTrue();
        assertThat(EnvironmentsTree.readWith("charts/tool/templates/_helpers.tpl", "staging", ENVIRONMENTS)).isTrue();
        assertThat(EnvironmentsTree.readWith("production/kubernetes/app.yaml", "staging", ENVIRONMENTS)).isFalse();
        assertThat(EnvironmentsTree.readWith("README.md", "staging", ENVIRONMENTS)).isFalse();
    }
}
