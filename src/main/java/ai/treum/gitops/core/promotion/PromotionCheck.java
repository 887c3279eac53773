package ai.treum.gitops.core.promotion;

import ai.treum.gitops.core.load.Durations;
import ai.treum.gitops.model.EnvironmentSpec.Promotion;
import ai.treum.gitops.model.Revision;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an environment may take a revision under its {@code spec.promotion}: every image it
 * would run that it does not run now must be one its source environment runs in a revision that
 * has been healthy for the window (and passed its analysis, where asked). A rollback in the source
 * leaves its older revision healthy, so what was rolled back is never proven. An environment's first
 * sync is not held: it runs nothing yet that a change could break, so it is installed as declared,
 * as a new Argo Rollout skips its steps (and a rebuilt cluster is restored without waiting for the
 * source). Pure.
 */
public final class PromotionCheck {

    private PromotionCheck() {
    }

    /**
     * What the source environment has proven: its healthy revision, the images that revision runs,
     * since when it has been healthy, and whether it passed an analysis on its way.
     *
     * @param rolledBack the source's revision last rolled back, if any, for the message
     */
    public record Evidence(String revision, Set<String> images, Instant healthySince, boolean analysed,
            Optional<String> rolledBack) {
    }

    /**
     * @param wanted  the images of the revision to take
     * @param running the images the environment runs now; empty before its first complete sync
     * @param source  what the source environment has proven; empty before it has a healthy revision
     * @return why the revision must wait, or empty when it may be taken
     */
    public static Optional<String> waiting(Promotion promotion, Set<String> wanted, Optional<Set<String>> running,
            Optional<Evidence> source, Instant now) {
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Set<String> changed = new TreeSet<>(wanted);
        changed.removeAll(running.get());
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        String from = promotion.from();
        String prefix = "waiting for " + from + ": ";
        if (source.isEmpty()) {
            return Optional.of(prefix + from + " has no healthy revision yet to prove " + String.join(", ", changed));
        }
        Evidence evidence = source.get();
        String healthy = new Revision(evidence.revision()).shortSha();
        Set<String> unproven = new TreeSet<>(changed);
        unproven.removeAll(evidence.images());
        if (!unproven.isEmpty()) {
            return Optional.of(prefix + String.join(", ", unproven) + " " + (unproven.size() == 1 ? "is" : "are")
                    + " not in its healthy revision " + healthy + evidence.rolledBack().map(r -> " (it rolled back "
                            + new Revision(r).shortSha() + ")").orElse(""));
        }
        if (promotion.requireAnalysis() && !evidence.analysed()) {
            return Optional.of(prefix + "its healthy revision " + healthy + " passed no rollout analysis "
                    + "(spec.promotion.requireAnalysis)");
        }
        Instant proven = evidence.healthySince().plus(promotion.healthyFor());
        if (now.isBefore(proven)) {
            return Optional.of(prefix + "its revision " + healthy + " has been healthy since " + evidence.healthySince()
                    + "; " + String.join(", ", changed) + " may follow at " + proven + " (spec.promotion.healthyFor "
                    + Durations.text(promotion.healthyFor()) + ")");
        }
        return Optional.empty();
    }
}
