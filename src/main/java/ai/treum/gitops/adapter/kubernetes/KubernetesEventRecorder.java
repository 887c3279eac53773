package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.port.EventRecorder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jboss.logging.Logger;

/** Kubernetes Events (core/v1) on the objects the daemon touched, so {@code kubectl describe} shows them. */
public class KubernetesEventRecorder implements EventRecorder {

    private static final Logger LOG = Logger.getLogger(KubernetesEventRecorder.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String instance;

    public KubernetesEventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    @Override
    public void record(String environment, ObjectEvent event) {
        // cluster-scoped objects get their events in "default", as kubectl does
        String namespace = event.key().clusterScoped() ? "default" : event.key().namespace();
        String now = TIME.format(Instant.now());
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(event.key().name() + ".").withNamespace(namespace)
                    .addToLabels(Ownership.MANAGED_BY_LABEL, Ownership.FIELD_MANAGER).endMetadata()
                    .withNewInvolvedObject().withKind(event.key().kind()).withName(event.key().name())
                    .withNamespace(event.key().namespace()).endInvolvedObject()
                    .withType(event.warning() ? "Warning" : "Normal")
                    .withReason(event.reason())
                    .withMessage(event.message().length() > 1000 ? event.message().substring(0, 997) + "..." : event.message())
                    .withNewSource().withComponent(Ownership.FIELD_MANAGER).endSource()
                    .withReportingComponent(Ownership.FIELD_MANAGER)
                    .withReportingInstance(instance)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot record event %s on %s: %s", event.reason(), event.key(), e.getMessage());
        }
    }
}
