package ai.treum.gitops.core.aws;

import ai.treum.gitops.model.AwsResource;
import java.util.List;

/**
 * One write to AWS that put declared fields of one resource back.
 *
 * @param fields the fields it set, or empty for a record created by UPSERT
 * @param detail what was called, or why it failed
 */
public record AwsChange(AwsResource resource, List<String> fields, boolean applied, String detail) {

    @Override
    public String toString() {
        return resource + ": " + (applied ? "" : "failed: ") + detail;
    }
}
