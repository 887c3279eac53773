package ai.treum.gitops.core.plan;

import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Who owns what the daemon applies: a field manager per environment for server-side apply
 * ({@code treum-gitops/<environment>}), and labels that name the daemon and the environment on
 * every object, so {@code kubectl get -l} finds them.
 */
public final class Ownership {

    /**
     * The daemon's name: the managed-by label's value, the Event source, and the field manager
     * every environment shared before each had its own (objects still applied under it are handed
     * over, see {@link ManagedFields}).
     */
    public static final String FIELD_MANAGER = "treum-gitops";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String ENVIRONMENT_LABEL = "gitops.treum.ai/environment";
    /**
     * {@code disabled} on a live object keeps prune from deleting it; {@code allow} lets prune
     * delete a kind that holds data (Namespace, PersistentVolumeClaim, PersistentVolume, CRD).
     */
    public static final String PRUNE_ANNOTATION = "gitops.treum.ai/prune";
    public static final String PRUNE_DISABLED = "disabled";
    public static final String PRUNE_ALLOW = "allow";
    /** {@code true} in Git lets the environment take over an existing object that is nobody's. */
    public static final String ADOPT_ANNOTATION = "gitops.treum.ai/adopt";
    /** {@code true} lets a change to an immutable field delete and re-create the object. */
    public static final String RECREATE_ANNOTATION = "gitops.treum.ai/recreate";
    /** {@code true} skips the object where the cluster does not serve its kind (a missing CRD). */
    public static final String OPTIONAL_ANNOTATION = "gitops.treum.ai/optional";

    private Ownership() {
    }

    /** The environment's own field manager: one environment's apply can never take another's fields silently. */
    public static String fieldManager(String environment) {
        return FIELD_MANAGER + "/" + environment;
    }

    /** The field manager of an object as it is applied, from the environment label {@link #stamp} put on it. */
    public static String fieldManager(DesiredResource stamped) {
        return fieldManager(environmentOf(stamped.body()));
    }

    /** The environment an object is labelled as, desired or live; empty when it carries no such label. */
    public static String environmentOf(JsonNode object) {
        return object.path("metadata").path("labels").path(ENVIRONMENT_LABEL).asText("");
    }

    /** Whether a managedFields entry's manager is one of the daemon's: an environment's, or the former shared one. */
    public static boolean ownManager(String manager) {
        return FIELD_MANAGER.equals(manager) || manager != null && manager.startsWith(FIELD_MANAGER + "/");
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
