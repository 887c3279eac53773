package ai.treum.gitops.event;

/** Why a sync was asked for. Automatic triggers apply only where the environment has auto-sync. */
public enum Trigger {
    /** The daemon started; */
    STARTUP(true),
    /** a commit changed the environment's folder; */
    GIT(true),
    /** the Git host's push webhook named the environment's folder; */
    WEBHOOK(true),
    /** the environment's interval passed; */
    INTERVAL(true),
    /** somebody else changed or deleted one of the environment's objects; */
    DRIFT(true),
    /** this replica took over the shard the environment belongs to; */
    SHARD(true),
    /** requests arrived while the environment was syncing; */
    FOLLOW_UP(true),
    /** a person or CI asked through the API; */
    API(false),
    /** a rollout failed and the last healthy revision is being restored (whatever auto-sync says). */
    ROLLBACK(false),
    /** a rollout passed a step and moves to the next (whatever auto-sync says). */
    ROLLOUT(false);

    private final boolean automatic;

    Trigger(boolean automatic) {
        this.automatic = automatic;
    }

    public boolean automatic() {
        return automatic;
    }

    /** Whether the request came from outside, to whichever replica it reached, rather than from a replica's own watch. */
    public boolean external() {
        return this == WEBHOOK || this == API;
    }
}
