package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.port.EventLog;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/** Reads back the Events {@link KubernetesEventRecorder} wrote, by the label it puts on each. */
public class KubernetesEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(KubernetesEventLog.class);

    private final KubernetesClient client;

    public KubernetesEventLog(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<RecordedEvent> recent(String environment, String namespace, int limit) {
        try {
            return client.v1().events().inNamespace(namespace)
                    .withLabel(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).list().getItems().stream()
                    .map(KubernetesEventLog::recorded)
                    .sorted(Comparator.comparing(RecordedEvent::at).reversed())
                    .limit(limit).toList();
        } catch (KubernetesClientException e) {
            LOG.debugf("events of namespace %s not read: %s", namespace, e.getMessage());
            return List.of();
        }
    }

    private static RecordedEvent recorded(Event event) {
        var object = event.getInvolvedObject();
        return new RecordedEvent(time(event.getLastTimestamp()), event.getType(), event.getReason(),
                object.getKind() + "/" + object.getName(), event.getMessage(), event.getReportingInstance());
    }

    private static Instant time(String timestamp) {
        try {
            return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
