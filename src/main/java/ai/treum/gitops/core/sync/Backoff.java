package ai.treum.gitops.core.sync;

import java.time.Duration;

/** Waits that double with each failure in a row, up to a ceiling, with up to a fifth added at random. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * @param failures failures in a row, 1 or more
     * @param jitter   a number in [0, 1), so replicas that failed together do not retry together
     */
    public static Duration delay(int failures, Duration base, Duration max, double jitter) {
        long factor = 1L << Math.min(failures - 1, 20);
        Duration wait = base.multipliedBy(factor);
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        return wait.plusMillis((long) (wait.toMillis() * 0.2 * jitter));
    }
}
