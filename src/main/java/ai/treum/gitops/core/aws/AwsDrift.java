package ai.treum.gitops.core.aws;

import ai.treum.gitops.model.AwsResource;

/**
 * One declared field of one AWS resource that AWS has otherwise, or a declared resource AWS does
 * not have ({@code field} null).
 *
 * @param enforceable enforce mode may change it back; otherwise it needs a person
 * @param note        why it needs a person, or null
 */
public record AwsDrift(AwsResource resource, String field, Object declared, Object live, boolean enforceable,
        String note) {

    public boolean missing() {
        return field == null;
    }

    /** One line, for logs, events and the status API: configuration values, never secret ones. */
    @Override
    public String toString() {
        String what = missing() ? resource + ": does not exist in AWS"
                : resource + ": spec." + field + " is " + live + " in AWS, " + declared + " in Git";
        return enforceable ? what : what + " (manual action needed: " + note + ")";
    }
}
