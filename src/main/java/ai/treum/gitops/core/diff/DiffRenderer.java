package ai.treum.gitops.core.diff;

import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Human-readable lines for a diff. Every value under a Secret's {@code data} or {@code stringData}
 * is shown as {@code ***}, whatever the caller does with the text.
 */
public final class DiffRenderer {

    private DiffRenderer() {
    }

    public static List<String> render(ResourceDiff diff) {
        List<String> lines = new ArrayList<>();
        if (diff instanceof ResourceDiff.Drifted d) {
            d.fields().forEach(f -> lines.add(d.key() + " " + f.path() + ": "
                    + value(d.key(), f.path(), f.live()) + " -> " + value(d.key(), f.path(), f.desired())));
        } else if (diff instanceof ResourceDiff.Missing) {
            lines.add(diff.key() + ": missing from the cluster");
        } else if (diff instanceof ResourceDiff.Unmanaged) {
            lines.add(diff.key() + ": exists but was never applied by the daemon");
        } else {
            lines.add(diff.key() + ": in sync");
        }
        return lines;
    }

    private static String value(ResourceKey key, String path, JsonNode value) {
        if (value == null) {
            return "(absent)";
        }
        if (isSecretData(key, path)) {
            return Redactions.REDACTED;
        }
        return value.toString();
    }

    static boolean isSecretData(ResourceKey key, String path) {
        return "Secret".equals(key.kind()) && key.group().isEmpty()
                && (path.equals("data") || path.startsWith("data.") || path.equals("stringData")
                        || path.startsWith("stringData."));
    }
}
