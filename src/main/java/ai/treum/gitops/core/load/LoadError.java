package ai.treum.gitops.core.load;

import ai.treum.gitops.model.SourceLocation;

/** Why a revision was rejected: where, which rule, and what was found. */
public record LoadError(SourceLocation location, String rule, String message) {

    @Override
    public String toString() {
        return location + ": " + rule + ": " + message;
    }
}
