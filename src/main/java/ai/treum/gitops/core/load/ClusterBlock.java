package ai.treum.gitops.core.load;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.model.SourceLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code spec.cluster}: exactly one of {@code inCluster: true}, {@code kubeconfigSecret} or
 * {@code eks}; none at all is the daemon's own cluster. Each field is checked for the shape AWS and
 * Kubernetes give it, so a typo is an error here and not an unreachable cluster later. Pure.
 */
final class ClusterBlock {

    static final String RULE = "environment-cluster";
    private static final List<String> FORMS = List.of("inCluster", "kubeconfigSecret", "eks");

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    private static final Pattern EKS_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");

    private ClusterBlock() {
    }

    static ClusterTarget read(JsonNode cluster, SourceLocation at, List<LoadError> errors) {
        if (cluster.isMissingNode() || cluster.isNull() || (cluster.isObject() && cluster.isEmpty())) {
            return ClusterTarget.IN_CLUSTER;
        }
        List<String> forms = new ArrayList<>();
        cluster.fieldNames().forEachRemaining(forms::add);
        forms.retainAll(FORMS); // any other key is the schema's error
        if (forms.isEmpty()) {
            return ClusterTarget.IN_CLUSTER;
        }
        if (forms.size() != 1 || (forms.contains("inCluster") && !cluster.path("inCluster").asBoolean(false))) {
            errors.add(new LoadError(at, RULE, "spec.cluster must name exactly one of inCluster: true, kubeconfigSecret "
                    + "or eks, found " + String.join(", ", forms)));
            return ClusterTarget.IN_CLUSTER;
        }
        return switch (forms.get(0)) {
            case "kubeconfigSecret" -> secret(cluster.get("kubeconfigSecret"), at, errors);
            case "eks" -> eks(cluster.get("eks"), at, errors);
            default -> ClusterTarget.IN_CLUSTER;
        };
    }

    private static ClusterTarget secret(JsonNode secret, SourceLocation at, List<LoadError> errors) {
        String namespace = secret.path("namespace").asText(null);
        String name = required(secret, "kubeconfigSecret", "name", DNS_SUBDOMAIN, "a Secret name", at, errors);
        String key = required(secret, "kubeconfigSecret", "key", SECRET_KEY, "a Secret data key", at, errors);
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            errors.add(new LoadError(at, RULE, "spec.cluster.kubeconfigSecret.namespace: " + namespace
                    + " is not a namespace name (a DNS label)"));
        }
        return new ClusterTarget.KubeconfigSecret(namespace, name, key);
    }

    private static ClusterTarget eks(JsonNode eks, SourceLocation at, List<LoadError> errors) {
        String name = required(eks, "eks", "name", EKS_NAME, "an EKS cluster name", at, errors);
        String region = required(eks, "eks", "region", REGION, "an AWS region such as ap-south-1", at, errors);
        String role = eks.path("roleArn").asText(null);
        if (role != null && !ROLE_ARN.matcher(role).matches()) {
            errors.add(new LoadError(at, RULE, "spec.cluster.eks.roleArn: " + role
                    + " is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"));
        }
        return new ClusterTarget.Eks(name, region, role);
    }

    private static String required(JsonNode block, String form, String field, Pattern shape, String what,
            SourceLocation at, List<LoadError> errors) {
        String value = block.path(field).asText("");
        if (value.isEmpty()) {
            errors.add(new LoadError(at, RULE, "spec.cluster." + form + "." + field + " is required"));
        } else if (!shape.matcher(value).matches()) {
            errors.add(new LoadError(at, RULE, "spec.cluster." + form + "." + field + ": " + value + " is not " + what));
        }
        return value;
    }
}
