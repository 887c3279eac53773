package ai.treum.gitops.port;

import ai.treum.gitops.event.Trigger;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which environments this replica may write for. With several replicas, each environment belongs
 * to one shard and only the holder of the shard's Lease syncs, rolls out, installs rules, checks
 * backups and AWS for it; the others plan read-only and serve status. It is asked where work
 * enters (a sync request, each periodic check) and where work leaves the daemon (cluster writes,
 * the inventory and history, Events and notifications refuse an environment not held), never in
 * between: a shard lost mid-sync has its later writes refused, not its code paths re-checked.
 */
public interface ShardOwnership {

    /** Who holds an environment's shard, as this replica last read the Leases. */
    record Holder(int shard, String identity, boolean self) {
    }

    /** Told when this replica takes a shard over, and when another replica passes on a request. */
    interface Listener {
        void acquired(int shard);

        void forwarded(String environment, Trigger trigger, String user);
    }

    boolean holds(String environment);

    /** Those of the environments this replica holds: the ones whose periodic checks run here. */
    default List<String> held(Collection<String> environments) {
        return environments.stream().filter(this::holds).toList();
    }

    /** Empty when there is only one replica, which holds everything. */
    Optional<Holder> holder(String environment);

    /**
     * Passes a request that came from outside (API, webhook) to whichever replica holds the
     * environment, with who asked ({@code user}, empty for a webhook).
     */
    void forward(String environment, Trigger trigger, String user);

    /** Starts contending for shards; the listener hears of shards taken and requests passed on. */
    void start(Listener listener);

    /** The single replica: holds every environment. */
    static ShardOwnership single() {
        return new ShardOwnership() {
            @Override
            public boolean holds(String environment) {
                return true;
            }

            @Override
            public Optional<Holder> holder(String environment) {
                return Optional.empty();
            }

            @Override
            public void forward(String environment, Trigger trigger, String user) {
                throw new IllegalStateException("a single replica holds " + environment + " itself");
            }

            @Override
            public void start(Listener listener) {
            }
        };
    }
}
