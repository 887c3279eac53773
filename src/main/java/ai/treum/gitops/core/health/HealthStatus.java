package ai.treum.gitops.core.health;

/**
 * How healthy an object or an environment is. Declared from best to worst; an environment is as
 * healthy as its worst object. UNKNOWN (no check for the kind) ranks below the states that are
 * known to be bad, so it never hides a degraded or missing object.
 */
public enum HealthStatus {
    HEALTHY, SUSPENDED, PROGRESSING, UNKNOWN, DEGRADED, MISSING;

    public boolean isWorseThan(HealthStatus other) {
        return ordinal() > other.ordinal();
    }

    public static HealthStatus worst(Iterable<HealthStatus> statuses) {
        HealthStatus worst = HEALTHY;
        for (HealthStatus status : statuses) {
            if (status.isWorseThan(worst)) {
                worst = status;
            }
        }
        return worst;
    }
}
