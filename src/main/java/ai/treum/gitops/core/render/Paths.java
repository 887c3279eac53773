package ai.treum.gitops.core.render;

import java.util.ArrayDeque;
import java.util.Deque;

/** Repository paths, always with '/' and relative to the repository root. Pure. */
final class Paths {

    private Paths() {
    }

    /** {@code reference} relative to {@code folder}, normalized; null when it climbs above the root or is absolute or a URL. */
    static String resolve(String folder, String reference) {
        if (reference.startsWith("/") || reference.contains("://") || reference.contains("\\")) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        String root = folder.startsWith("/") ? "/" : "";
        for (String part : (folder + "/" + reference).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return root + String.join("/", parts);
    }
}
