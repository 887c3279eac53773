package ai.treum.gitops.core.plan;

import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Who owns what the daemon applies: one field manager for server-side apply, and labels that
 * name the daemon and the environment on every object, so {@code kubectl get -l} finds them.
 */
public final class Ownership {

    public static final String FIELD_MANAGER = "treum-gitops";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String ENVIRONMENT_LABEL = "gitops.treum.ai/environment";
    /** {@code disabled} on a live object keeps prune from deleting it. */
    public static final String PRUNE_ANNOTATION = "gitops.treum.ai/prune";
    /** {@code true} lets a change to an immutable field delete and re-create the object. */
    public static final String RECREATE_ANNOTATION = "gitops.treum.ai/recreate";
    /** {@code true} skips the object where the cluster does not serve its kind (a missing CRD). */
    public static final String OPTIONAL_ANNOTATION = "gitops.treum.ai/optional";

    private Ownership() {
    }

    /** The object as it is applied: with its namespace set and the ownership labels added. */
    public static DesiredResource stamp(DesiredResource resource, String environment) {
        ObjectNode body = resource.body().deepCopy();
        ObjectNode metadata = body.with("metadata");
        if (!resource.key().clusterScoped()) {
            metadata.put("namespace", resource.key().namespace());
        }
        ObjectNode labels = metadata.with("labels");
        labels.put(MANAGED_BY_LABEL, FIELD_MANAGER);
        labels.put(ENVIRONMENT_LABEL, environment);
        return new DesiredResource(resource.key(), resource.apiVersion(), body, resource.source());
    }

    public static boolean annotated(ObjectNode object, String annotation, String value) {
        return value.equalsIgnoreCase(object.path("metadata").path("annotations").path(annotation).asText());
    }
}
