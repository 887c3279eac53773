package ai.treum.gitops.event;

/** Why a sync was asked for. Automatic triggers apply only where the environment has auto-sync. */
public enum Trigger {
    STARTUP(true), GIT(true), INTERVAL(true), FOLLOW_UP(true), API(false);

    private final boolean automatic;

    Trigger(boolean automatic) {
        this.automatic = automatic;
    }

    public boolean automatic() {
        return automatic;
    }
}
