package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a pre-sync hook is waited for: its Job's deadline and a minute, never past the daemon's limit. */
class HookWaitTest {

    private static final Duration LIMIT = Duration.ofMinutes(30);

    private static DesiredResource job(Long deadline) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (deadline != null) {
            body.with("spec").put("activeDeadlineSeconds", deadline);
        }
        return new DesiredResource(new ResourceKey("batch", "Job", "shop", "migrate"), "batch/v1", body,
                new SourceLocation("hooks.yaml", 1));
    }

    @Test
    void theJobsDeadlineAndAMinuteWithinTheLimit() {
        assertThat(EnvironmentSync.hookTimeout(job(300L), LIMIT)).isEqualTo(Duration.ofSeconds(360));
        assertThat(EnvironmentSync.hookTimeout(job(null), LIMIT)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void whateverGitSaysTheDaemonsLimitHolds() {
        assertThat(EnvironmentSync.hookTimeout(job(999_999_999L), LIMIT)).isEqualTo(LIMIT);
        assertThat(EnvironmentSync.hookTimeout(job(Long.MAX_VALUE), LIMIT)).as("no overflow").isEqualTo(LIMIT);
        assertThat(EnvironmentSync.hookTimeout(job(null), Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
    }
}
