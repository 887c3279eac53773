package ai.treum.gitops.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One object as Git declares it, with where it was declared. The body is never mutated. */
public record DesiredResource(ResourceKey key, String apiVersion, ObjectNode body, SourceLocation source) {

    @Override
    public String toString() {
        return key + " (" + source + ")";
    }
}
