package ai.treum.gitops.core.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code promote} writes: for each image a target environment runs, the tag or digest its
 * source runs of the same image, where the two differ; as kustomize's {@code images:} overrides in
 * a Component the command owns. Pure.
 */
public final class ImageOverrides {

    /** The file of the Component, under the target's kubernetes/ folder; its kustomization lists it. */
    public static final String COMPONENT = "promoted";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ImageOverrides() {
    }

    /** An image reference split into its name and its tag or digest (either may be absent). */
    public record Reference(String name, String tag, String digest) {

        public static Reference parse(String image) {
            int at = image.indexOf('@');
            if (at >= 0) {
                Reference named = parse(image.substring(0, at));
                return new Reference(named.name(), named.tag(), image.substring(at + 1));
            }
            int colon = image.lastIndexOf(':');
            return colon > image.lastIndexOf('/') ? new Reference(image.substring(0, colon), image.substring(colon + 1), null)
                    : new Reference(image, null, null);
        }

        /** The tag or digest, as it is written after the name. */
        public String version() {
            return digest != null ? "@" + digest : tag != null ? ":" + tag : "";
        }
    }

    /**
     * @return image name → the source's reference of it, for every image name both run with another tag or digest;
     *         an image the source runs in several versions is left out (it proves none of them over the others)
     */
    public static Map<String, Reference> promote(Set<String> source, Set<String> target) {
        Map<String, Reference> sourceByName = new TreeMap<>();
        Map<String, Integer> versions = new TreeMap<>();
        for (String image : source) {
            Reference reference = Reference.parse(image);
            sourceByName.put(reference.name(), reference);
            versions.merge(reference.name(), 1, Integer::sum);
        }
        Map<String, Reference> changes = new TreeMap<>();
        for (String image : target) {
            Reference current = Reference.parse(image);
            Reference proven = sourceByName.get(current.name());
            if (proven != null && versions.get(current.name()) == 1 && !proven.version().equals(current.version())) {
                changes.put(current.name(), proven);
            }
        }
        return changes;
    }

    /**
     * The Component's text: the overrides it held, updated with {@code changes}.
     *
     * @param held the overrides the Component holds today, by image name
     */
    public static String component(String source, Map<String, Reference> held, Map<String, Reference> changes) {
        Map<String, Reference> all = new TreeMap<>(held);
        all.putAll(changes);
        StringBuilder text = new StringBuilder("# Written by treum-gitops promote: the images " + source + " proved.\n"
                + "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:");
        if (all.isEmpty()) {
            text.append(" []\n");
            return text.toString();
        }
        text.append('\n');
        all.forEach((name, reference) -> {
            text.append("  - name: ").append(name).append('\n');
            if (reference.tag() != null && reference.digest() == null) {
                text.append("    newTag: \"").append(reference.tag()).append("\"\n");
            }
            if (reference.digest() != null) {
                text.append("    digest: ").append(reference.digest()).append('\n');
            }
        });
        return text.toString();
    }

    /** The overrides a Component written before holds, by image name; none for an empty or unreadable one. */
    public static Map<String, Reference> held(String component) {
        Map<String, Reference> held = new TreeMap<>();
        try {
            JsonNode root = YAML.readTree(component);
            for (JsonNode image : root == null ? YAML.createArrayNode() : root.path("images")) {
                String name = image.path("name").asText("");
                if (!name.isEmpty()) {
                    held.put(name, new Reference(name, image.path("newTag").asText(null), image.path("digest").asText(null)));
                }
            }
        } catch (IOException e) {
            return held;
        }
        return held;
    }

    /** Whether a kustomization lists the Component among its components. */
    public static boolean listed(String kustomization) {
        return kustomization.lines().anyMatch(line -> line.strip().equals("- " + COMPONENT)
                || line.strip().matches("components:\\s*\\[.*\\b" + COMPONENT + "\\b.*]"));
    }

    /** The kustomization with the Component listed: appended when it has no components, else null (a person decides). */
    public static String withComponent(String kustomization) {
        if (listed(kustomization)) {
            return kustomization;
        }
        if (kustomization.lines().anyMatch(line -> line.startsWith("components:"))) {
            return null;
        }
        return kustomization + (kustomization.endsWith("\n") ? "" : "\n") + "components:\n  - " + COMPONENT + "\n";
    }
}
