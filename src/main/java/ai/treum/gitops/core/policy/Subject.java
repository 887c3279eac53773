package ai.treum.gitops.core.policy;

import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object as admission sees it: its identity, resource name and operation, its body and
 * labels, its namespace's object and labels, and the {@code request} variable, built once since
 * every policy that matches reads it.
 *
 * @param object          the body as CEL values
 * @param namespaceObject the namespace's body as CEL values, or null for cluster-scoped objects
 */
public record Subject(ResourceKey key, String apiVersion, String resource, String operation, SourceLocation source,
        Map<String, Object> object, Map<String, String> labels, Map<String, Object> namespaceObject,
        Map<String, String> namespaceLabels, Map<String, Object> request) {

    public Subject(ResourceKey key, String apiVersion, String resource, String operation, SourceLocation source,
            Map<String, Object> object, Map<String, String> labels, Map<String, Object> namespaceObject,
            Map<String, String> namespaceLabels) {
        this(key, apiVersion, resource, operation, source, object, labels, namespaceObject, namespaceLabels,
                request(key, apiVersion, resource, operation));
    }

    public static final String GITOPS_API_VERSION = "gitops.treum.ai/v1alpha1";

    public boolean namespaced() {
        return key.namespace() != null;
    }

    public String version() {
        return versionOf(apiVersion);
    }

    private static String versionOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    /** The {@code request} variable: what is admitted, and how. */
    private static Map<String, Object> request(ResourceKey key, String apiVersion, String resource, String operation) {
        String version = versionOf(apiVersion);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", Map.of("group", key.group(), "version", version, "kind", key.kind()));
        request.put("resource", Map.of("group", key.group(), "version", version, "resource", resource));
        request.put("name", key.name());
        if (key.namespace() != null) {
            request.put("namespace", key.namespace());
        }
        request.put("operation", operation);
        request.put("dryRun", false);
        return Collections.unmodifiableMap(request);
    }
}
