package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.promotion.Images;
import ai.treum.gitops.core.promotion.PromotionCheck;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.model.EnvironmentSpec.Promotion;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.InventoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The promotion gate of environments with {@code spec.promotion}: a revision that changes an
 * image waits until the source environment's healthy revision has run that image for the window.
 * The source's marks are read from its inventory each time, not from this replica's cache: another
 * replica may hold the source.
 */
@ApplicationScoped
public class Promotions {

    private final RolloutGuard guard;
    private final InventoryStore inventory;
    private final RevisionReader revisions;
    private final GitopsMetrics metrics;
    private final Clock clock;

    @Inject
    Promotions(RolloutGuard guard, InventoryStore inventory, RevisionReader revisions, GitopsMetrics metrics) {
        this(guard, inventory, revisions, metrics, Clock.systemUTC());
    }

    Promotions(RolloutGuard guard, InventoryStore inventory, RevisionReader revisions, GitopsMetrics metrics,
            Clock clock) {
        this.guard = guard;
        this.inventory = inventory;
        this.revisions = revisions;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Why the environment must not take this revision yet; empty when it may (or has no promotion). */
    public Optional<String> waiting(EnvironmentRevision read) {
        Optional<Promotion> promotion = read.environment().promotion();
        if (promotion.isEmpty()) {
            return Optional.empty();
        }
        String env = read.environment().name();
        Optional<String> waiting = PromotionCheck.waiting(promotion.get(), Images.of(read.kubernetes()), running(env),
                evidence(promotion.get().from()), clock.instant());
        metrics.promotionPending(env, waiting.isPresent());
        return waiting;
    }

    /**
     * What the environment runs: its healthy revision's images and those of the revision it synced
     * last (mid-rollout, a step must go on); empty when it has synced neither.
     */
    private Optional<Set<String>> running(String env) {
        String healthy = guard.marks(env).get(RolloutGuard.HEALTHY);
        Optional<Revision> last = guard.lastSynced(env);
        if ((healthy == null || healthy.isEmpty()) && last.isEmpty()) {
            return Optional.empty();
        }
        Set<String> running = new TreeSet<>(images(env, healthy));
        last.ifPresent(revision -> running.addAll(images(env, revision.sha())));
        return Optional.of(running);
    }

    private Optional<PromotionCheck.Evidence> evidence(String source) {
        Map<String, String> marks = inventory.marks(source);
        String healthy = marks.get(RolloutGuard.HEALTHY);
        if (healthy == null || healthy.isEmpty()) {
            return Optional.empty();
        }
        EnvironmentRevision read = revisions.read(source, new Revision(healthy));
        if (!read.valid()) {
            return Optional.empty();
        }
        return Optional.of(new PromotionCheck.Evidence(healthy, Images.of(read.kubernetes()),
                since(marks.get(RolloutGuard.HEALTHY_SINCE)), "true".equals(marks.get(RolloutGuard.HEALTHY_ANALYSED)),
                Optional.ofNullable(marks.get(RolloutGuard.ROLLED_BACK)).filter(r -> !r.isEmpty())));
    }

    /** The images of an environment's revision; none before it has one. */
    private Set<String> images(String env, String revision) {
        if (revision == null || revision.isEmpty()) {
            return Set.of();
        }
        EnvironmentRevision read = revisions.read(env, new Revision(revision));
        return read.valid() ? Images.of(read.kubernetes()) : Set.of();
    }

    /** A revision marked healthy before its time was recorded counts from now: it proves nothing yet. */
    private Instant since(String text) {
        try {
            return text == null ? clock.instant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
