package ai.treum.gitops.core.policy;

import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object as admission sees it: its identity, resource name and operation, its body and
 * labels, and its namespace's object and labels.
 *
 * @param object          the body as CEL values
 * @param namespaceObject the namespace's body as CEL values, or null for cluster-scoped objects
 */
public record Subject(ResourceKey key, String apiVersion, String resource, String operation, SourceLocation source,
        Map<String, Object> object, Map<String, String> labels, Map<String, Object> namespaceObject,
        Map<String, String> namespaceLabels) {

    public static final String GITOPS_API_VERSION = "gitops.treum.ai/v1alpha1";

    public boolean namespaced() {
        return key.namespace() != null;
    }

    public String version() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    /** The {@code request} variable: what is admitted, and how. */
    Map<String, Object> request() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", Map.of("group", key.group(), "version", version(), "kind", key.kind()));
        request.put("resource", Map.of("group", key.group(), "version", version(), "resource", resource));
        request.put("name", key.name());
        if (namespaced()) {
            request.put("namespace", key.namespace());
        }
        request.put("operation", operation);
        request.put("dryRun", false);
        return request;
    }
}
