package ai.treum.gitops.core.load;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads multi-document YAML manifests into desired objects. Pure: files in, objects or errors out.
 * Any error rejects the whole set, so a half-read revision can never be applied.
 */
public final class ManifestLoader {

    /** Kinds that live outside namespaces; custom kinds declare their scope in their CRD. */
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
            "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "APIService",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "Node");

    private static final PlainYaml YAML = new PlainYaml();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private ManifestLoader() {
    }

    /** Loads every file; objects without a namespace get {@code defaultNamespace} unless cluster-scoped. */
    public static LoadResult load(List<SourceFile> files, String defaultNamespace) {
        List<Document> documents = new ArrayList<>();
        List<LoadError> errors = new ArrayList<>();
        files.stream().sorted(Comparator.comparing(SourceFile::path)).forEach(file -> parse(file, documents, errors));

        Set<String> clusterScoped = new HashSet<>(CLUSTER_SCOPED);
        documents.stream().filter(d -> "CustomResourceDefinition".equals(d.body.path("kind").asText()))
                .filter(d -> "Cluster".equals(d.body.path("spec").path("scope").asText()))
                .forEach(d -> clusterScoped.add(d.body.path("spec").path("names").path("kind").asText()));

        List<DesiredResource> resources = new ArrayList<>();
        Map<ResourceKey, SourceLocation> seen = new HashMap<>();
        for (Document doc : documents) {
            DesiredResource resource = toResource(doc, defaultNamespace, clusterScoped, errors);
            if (resource == null) {
                continue;
            }
            SourceLocation first = seen.putIfAbsent(resource.key(), resource.source());
            if (first != null) {
                errors.add(new LoadError(resource.source(), "duplicate-object",
                        resource.key() + " is already defined at " + first));
            } else {
                resources.add(resource);
            }
        }
        return errors.isEmpty() ? new LoadResult.Loaded(List.copyOf(resources)) : new LoadResult.Rejected(errors);
    }

    private static void parse(SourceFile file, List<Document> documents, List<LoadError> errors) {
        if (file.refused() != null) {
            errors.add(new LoadError(new SourceLocation(file.path(), 1), file.refused().rule(), file.refused().reason()));
            return;
        }
        try (JsonParser parser = YAML.createParser(file.content())) {
            while (parser.nextToken() != null) {
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode node = MAPPER.readTree(parser);
                if (node == null || node.isNull() || node.isMissingNode()
                        || node.isTextual() && node.asText().isEmpty()) {
                    continue; // an empty document, as after a trailing "---"
                }
                SourceLocation where = new SourceLocation(file.path(), line);
                if (node instanceof ObjectNode object) {
                    documents.add(new Document(object, where));
                } else {
                    errors.add(new LoadError(where, "not-an-object", "a manifest must be a mapping, found " + node.getNodeType()));
                }
            }
        } catch (JsonProcessingException e) {
            // the tree reader may wrap what the parser threw
            if ((e.getCause() instanceof PlainYaml.Refused ? e.getCause() : e) instanceof PlainYaml.Refused refused) {
                errors.add(new LoadError(new SourceLocation(file.path(), refused.line), refused.rule, refused.reason));
                return;
            }
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            errors.add(new LoadError(new SourceLocation(file.path(), line), "yaml-syntax", problem(e)));
        } catch (IOException e) {
            errors.add(new LoadError(new SourceLocation(file.path(), 1), "unreadable", e.getMessage()));
        }
    }

    private static DesiredResource toResource(Document doc, String defaultNamespace, Set<String> clusterScoped,
            List<LoadError> errors) {
        String apiVersion = text(doc.body, "apiVersion");
        String kind = text(doc.body, "kind");
        String name = text(doc.body.path("metadata"), "name");
        List<String> missing = new ArrayList<>();
        if (apiVersion == null) {
            missing.add("apiVersion");
        }
        if (kind == null) {
            missing.add("kind");
        }
        if (name == null) {
            missing.add("metadata.name");
        }
        if (!missing.isEmpty()) {
            missing.forEach(field -> errors.add(new LoadError(doc.where, "missing-" + field.replace("metadata.", ""),
                    (kind == null ? "object" : kind) + " has no " + field)));
            return null;
        }
        String namespace = text(doc.body.path("metadata"), "namespace");
        if (clusterScoped.contains(kind)) {
            if (namespace != null) {
                errors.add(new LoadError(doc.where, "cluster-scoped-namespace",
                        kind + "/" + name + " is cluster-scoped but names namespace " + namespace));
                return null;
            }
        } else if (namespace == null) {
            namespace = defaultNamespace;
        }
        return new DesiredResource(ResourceKey.of(apiVersion, kind, namespace, name), apiVersion, doc.body, doc.where);
    }

    /**
     * What is wrong, on one line, never quoting the file: the source line a YAML parser echoes may
     * hold a secret value. SnakeYAML says it as context and problem; any other message loses the
     * two lines (source, caret) that follow each position it names.
     */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked) {
            return java.util.stream.Stream.of(marked.getContext(), marked.getProblem()).filter(java.util.Objects::nonNull)
                    .map(String::trim).collect(Collectors.joining("; "));
        }
        List<String> kept = new ArrayList<>();
        List<String> lines = e.getOriginalMessage().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("in 'reader'") || line.startsWith("at [Source")) {
                i += 2;
            } else if (!line.isEmpty() && !line.equals("^")) {
                kept.add(line);
            }
        }
        return String.join("; ", kept);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    private record Document(ObjectNode body, SourceLocation where) {
    }
}
