package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyncGateTest {

    private final SyncGate gate = new SyncGate();

    @Test
    void requestsDuringASyncFoldIntoOneFollowUp() {
        assertThat(gate.tryStart("production")).isTrue();
        assertThat(gate.tryStart("production")).isFalse();
        assertThat(gate.tryStart("production")).isFalse();
        assertThat(gate.tryStart("staging")).withFailMessage("environments sync independently").isTrue();

        assertThat(gate.finish("production")).withFailMessage("two waiting requests earn exactly one follow-up").isTrue();
        assertThat(gate.tryStart("production")).isTrue();
        assertThat(gate.finish("production")).isFalse();
        assertThat(gate.finish("staging")).isFalse();
    }
}
