package ai.treum.gitops.handler;

import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.port.LiveChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** live watch → sync-requests. A hand edit or deletion of a managed object asks for its environment to be planned. */
@ApplicationScoped
public class DriftRequests implements LiveChangeListener {

    private static final Logger LOG = Logger.getLogger(DriftRequests.class);

    private final Emitter<SyncRequested> requests;

    DriftRequests(@Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests) {
        this.requests = requests;
    }

    @Override
    public void changed(String environment, ResourceKey key, boolean deleted) {
        LOG.debugf("environment %s: %s %s by somebody else", environment, key, deleted ? "deleted" : "changed");
        requests.send(new SyncRequested(environment, Trigger.DRIFT));
    }
}
