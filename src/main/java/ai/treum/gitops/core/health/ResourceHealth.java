package ai.treum.gitops.core.health;

/** One object's health and why. */
public record ResourceHealth(HealthStatus status, String message) {

    static ResourceHealth healthy() {
        return new ResourceHealth(HealthStatus.HEALTHY, "");
    }

    static ResourceHealth progressing(String message) {
        return new ResourceHealth(HealthStatus.PROGRESSING, message);
    }

    static ResourceHealth degraded(String message) {
        return new ResourceHealth(HealthStatus.DEGRADED, message);
    }
}
