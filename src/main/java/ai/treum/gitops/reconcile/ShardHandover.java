package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.port.ShardOwnership.Holder;
import ai.treum.gitops.port.ShardOwnership;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Starts the shard contention, and turns its news into sync requests: a shard taken over syncs
 * its environments (with the rollout marks the previous holder left, read afresh), and a request
 * another replica passed on runs here as if it had come here.
 */
@ApplicationScoped
public class ShardHandover implements ShardOwnership.Listener {

    private final ShardOwnership shards;
    private final DesiredStateWatcher watcher;
    private final AwsWatcher aws;
    private final RolloutGuard guard;
    private final Emitter<SyncRequested> requests;

    ShardHandover(ShardOwnership shards, DesiredStateWatcher watcher, AwsWatcher aws, RolloutGuard guard,
            @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests) {
        this.shards = shards;
        this.guard = guard;
        this.watcher = watcher;
        this.aws = aws;
        this.requests = requests;
    }

    void onStart(@Observes StartupEvent event) {
        shards.start(this);
    }

    @Override
    public void acquired(int shard) {
        for (String env : watcher.environments()) {
            if (shards.holder(env).map(Holder::shard).filter(s -> s == shard).isPresent()) {
                guard.forget(env);
                requests.send(new SyncRequested(env, Trigger.SHARD));
                aws.request(env);
            }
        }
    }

    @Override
    public void forwarded(String environment, Trigger trigger, String user) {
        // the replica that took the request had fetched Git first; this one may not have yet
        watcher.fetchNow();
        requests.send(new SyncRequested(environment, trigger, user));
        aws.request(environment);
    }
}
