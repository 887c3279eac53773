package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncGateTest {

    private final SyncGate gate = new SyncGate();

    @Test
    void requestsDuringASyncFoldIntoOneFollowUp() {
        assertThat(gate.tryStart(new SyncRequested("production", Trigger.GIT))).isTrue();
        assertThat(gate.tryStart(new SyncRequested("production", Trigger.DRIFT))).isFalse();
        assertThat(gate.tryStart(new SyncRequested("production", Trigger.INTERVAL))).isFalse();
        assertThat(gate.tryStart(new SyncRequested("staging", Trigger.GIT))).withFailMessage("environments sync independently")
                .isTrue();

        assertThat(gate.finish("production")).withFailMessage("two waiting requests earn exactly one follow-up")
                .contains(new SyncRequested("production", Trigger.FOLLOW_UP));
        assertThat(gate.tryStart(new SyncRequested("production", Trigger.FOLLOW_UP))).isTrue();
        assertThat(gate.finish("production")).isEmpty();
        assertThat(gate.finish("staging")).isEmpty();
    }

    @Test
    void aRequestByHandIsTheFollowUpItselfWithItsUser() {
        SyncRequested byHand = new SyncRequested("production", Trigger.API, "alice");
        gate.tryStart(new SyncRequested("production", Trigger.STARTUP));
        gate.tryStart(new SyncRequested("production", Trigger.GIT));
        gate.tryStart(byHand);
        gate.tryStart(new SyncRequested("production", Trigger.INTERVAL));

        Optional<SyncRequested> followUp = gate.finish("production");
        assertThat(followUp).withFailMessage("an automatic follow-up would not apply where auto-sync is off")
                .contains(byHand);
    }
}
