package ai.treum.gitops.model;

import java.util.List;

/** One object that differs from Git, with the redacted lines that say how. */
public record ObjectDrift(ResourceKey key, List<String> lines) {
}
