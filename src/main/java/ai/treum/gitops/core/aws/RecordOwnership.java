package ai.treum.gitops.core.aws;

import ai.treum.gitops.model.AwsResource;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which environment a DNS record belongs to, as external-dns marks its own: a TXT record beside
 * it, {@code _treum-gitops.<name>}, saying {@code "heritage=treum-gitops,environment=<env>"}. A
 * record that is not marked as the environment's is never overwritten; a missing one is created
 * with its mark, unless another environment's mark claims the name. Pure.
 */
public final class RecordOwnership {

    public static final String PREFIX = "_treum-gitops.";
    private static final Pattern VALUE = Pattern.compile("\"?heritage=treum-gitops,environment=([a-z0-9-]+)\"?");

    private RecordOwnership() {
    }

    /** The name of the TXT record that marks {@code recordName} (a fully qualified name, ending in a dot). */
    public static String markName(String recordName) {
        return PREFIX + recordName;
    }

    /** The mark's value, quoted as Route 53 keeps TXT values. */
    public static String markValue(String environment) {
        return "\"heritage=treum-gitops,environment=" + environment + "\"";
    }

    /** The environment a mark's value names; empty when it is no mark of ours. */
    public static Optional<String> environmentOf(String txtValue) {
        Matcher matcher = VALUE.matcher(txtValue.trim());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Where the reader puts the environment that marks a record's name, beside the records it read. */
    public static String liveKey(String zone, String recordName) {
        return "Route53Owner/" + zone + "/" + recordName;
    }

    /** The key of a declared record's mark: its zone and fully qualified name, from its id {@code zone/name./TYPE}. */
    public static String liveKey(AwsResource record) {
        String[] id = record.id().split("/");
        return liveKey(id[0], id[1]);
    }
}
