package ai.treum.gitops.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.EnvironmentSpec.Promotion;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromotionCheckTest {

    private static final Promotion PROMOTION = new Promotion("staging", Duration.ofMinutes(10), true);
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String HEALTHY = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";

    private static Optional<PromotionCheck.Evidence> staging(Set<String> images, Instant since, boolean analysed) {
        return Optional.of(new PromotionCheck.Evidence(HEALTHY, images, since, analysed, Optional.empty()));
    }

    @Test
    void aRevisionThatChangesNoImageIsTakenWhateverStagingDoes() {
        assertThat(PromotionCheck.waiting(PROMOTION, Set.of("api:1.0"), Optional.of(Set.of("api:1.0", "web:2.0")),
                Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void aNewImageWaitsUntilStagingsHealthyRevisionHasRunItAnalysedForTheWindow() {
        Set<String> wanted = Set.of("api:1.1", "web:2.0");
        Optional<Set<String>> running = Optional.of(Set.of("api:1.0", "web:2.0"));

        assertThat(PromotionCheck.waiting(PROMOTION, wanted, running, Optional.empty(), NOW)).contains(
                "waiting for staging: staging has no healthy revision yet to prove api:1.1");
        assertThat(PromotionCheck.waiting(PROMOTION, wanted, running, staging(Set.of("api:1.0"), NOW.minusSeconds(3600),
                true), NOW)).contains("waiting for staging: api:1.1 is not in its healthy revision a1b2c3d4e5f6");
        assertThat(PromotionCheck.waiting(PROMOTION, wanted, running, staging(Set.of("api:1.1"), NOW.minusSeconds(3600),
                false), NOW)).contains("waiting for staging: its healthy revision a1b2c3d4e5f6 passed no rollout analysis "
                        + "(spec.promotion.requireAnalysis)");
        assertThat(PromotionCheck.waiting(PROMOTION, wanted, running, staging(Set.of("api:1.1"), NOW.minusSeconds(300),
                true), NOW)).contains("waiting for staging: its revision a1b2c3d4e5f6 has been healthy since "
                        + "2026-12-07T11:55:00Z; api:1.1 may follow at 2026-12-07T12:05:00Z (spec.promotion.healthyFor 10m)");
        assertThat(PromotionCheck.waiting(PROMOTION, wanted, running, staging(Set.of("api:1.1"), NOW.minusSeconds(600),
                true), NOW)).isEmpty();
        assertThat(PromotionCheck.waiting(new Promotion("staging", Duration.ofMinutes(10), false), wanted, running,
                staging(Set.of("api:1.1"), NOW.minusSeconds(600), false), NOW)).isEmpty();
    }

    @Test
    void theFirstSyncIsNotHeldForItRunsNothingYet() {
        assertThat(PromotionCheck.waiting(PROMOTION, Set.of("api:1.1"), Optional.empty(), Optional.empty(), NOW)).isEmpty();
        assertThat(PromotionCheck.waiting(PROMOTION, Set.of("api:1.1"), Optional.of(Set.of()), Optional.empty(), NOW))
                .contains("waiting for staging: staging has no healthy revision yet to prove api:1.1");
    }

    @Test
    void anImageStagingRolledBackIsNotProvenAndTheMessageSaysSo() {
        Optional<PromotionCheck.Evidence> rolledBack = Optional.of(new PromotionCheck.Evidence(HEALTHY, Set.of("api:1.0"),
                NOW.minusSeconds(3600), true, Optional.of("f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1")));

        assertThat(PromotionCheck.waiting(PROMOTION, Set.of("api:1.1"), Optional.of(Set.of("api:1.0")), rolledBack,
                NOW)).contains(
                "waiting for staging: api:1.1 is not in its healthy revision a1b2c3d4e5f6 (it rolled back f0e1d2c3b4a5)");
    }
}
