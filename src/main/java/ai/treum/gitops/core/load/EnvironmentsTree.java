package ai.treum.gitops.core.load;

import java.util.Optional;
import java.util.Set;

/**
 * How the folder of environments is laid out: a folder holding environment.yaml is an
 * environment; any other folder in it is shared (kustomize bases, vendored charts) and is read
 * with every environment. Paths are relative to the folder of environments. Pure.
 */
public final class EnvironmentsTree {

    public static final String ENVIRONMENT_FILE = "environment.yaml";

    private EnvironmentsTree() {
    }

    /** The environment a path declares: the name of {@code <name>/environment.yaml}, else empty. */
    public static Optional<String> declared(String relative) {
        String[] parts = relative.split("/");
        return parts.length == 2 && parts[1].equals(ENVIRONMENT_FILE) ? Optional.of(parts[0]) : Optional.empty();
    }

    /** Whether a file is read with {@code environment}: one of its own, or one in a folder that is no environment. */
    public static boolean readWith(String relative, String environment, Set<String> environments) {
        int slash = relative.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String folder = relative.substring(0, slash);
        return folder.equals(environment) || !environments.contains(folder);
    }
}
