package ai.treum.gitops.port;

import java.time.Instant;
import java.util.List;

/** The Kubernetes Events the daemon (any replica of it) recorded, newest first, as the status page lists them. */
public interface EventLog {

    record RecordedEvent(Instant at, String type, String reason, String object, String message, String replica) {
    }

    /**
     * At most {@code limit} of the daemon's Events in a namespace of the environment's cluster;
     * empty when the cluster cannot be asked.
     */
    List<RecordedEvent> recent(String environment, String namespace, int limit);
}
