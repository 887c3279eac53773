package ai.treum.gitops.core.aws;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the objects of aws/ into declared AWS resources: each field must be one its kind knows,
 * of the right type, and every identity field must be there. Pure.
 */
public final class AwsResources {

    private AwsResources() {
    }

    /** The resources, or the errors (file, line, rule) that reject the revision; never both. */
    public record Result(List<AwsResource> resources, List<LoadError> errors) {
    }

    public static Result parse(List<DesiredResource> declared) {
        List<AwsResource> resources = new ArrayList<>();
        List<LoadError> errors = new ArrayList<>();
        Map<String, DesiredResource> ids = new HashMap<>();
        for (DesiredResource object : declared) {
            Optional<AwsKind> kind = AwsKind.of(object.key().kind());
            if (kind.isEmpty()) {
                continue;
            }
            AwsResource resource = parse(kind.get(), object, errors);
            if (resource == null) {
                continue;
            }
            DesiredResource first = ids.putIfAbsent(resource.toString(), object);
            if (first != null) {
                errors.add(new LoadError(object.source(), "aws-duplicate", resource + " is already declared at "
                        + first.source()));
            } else {
                resources.add(resource);
            }
        }
        return errors.isEmpty() ? new Result(List.copyOf(resources), List.of()) : new Result(List.of(), errors);
    }

    private static AwsResource parse(AwsKind kind, DesiredResource object, List<LoadError> errors) {
        JsonNode spec = object.body().path("spec");
        String name = object.key().name();
        int before = errors.size();
        List<String> identity = new ArrayList<>();
        for (String field : kind.identity()) {
            String value = spec.path(field).asText("");
            if (value.isBlank()) {
                errors.add(error(object, kind.kind() + "/" + name + " has no spec." + field));
            }
            identity.add(value);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        spec.fields().forEachRemaining(entry -> {
            if (kind.identity().contains(entry.getKey())) {
                return;
            }
            AwsKind.Field field = kind.fields().get(entry.getKey());
            if (field == null) {
                errors.add(error(object, kind.kind() + "/" + name + " spec." + entry.getKey() + " is not a field of "
                        + kind.kind() + "; known: " + String.join(", ", kind.fields().keySet())));
            } else if (!fits(field.type(), entry.getValue())) {
                errors.add(error(object, kind.kind() + "/" + name + " spec." + entry.getKey() + " must be "
                        + field.type().name().toLowerCase()));
            } else {
                fields.put(entry.getKey(), AwsValues.of(entry.getValue()));
            }
        });
        if (errors.size() > before) {
            return null;
        }
        String id = switch (kind) {
            case ROUTE53_RECORD_SET -> String.join("/", identity.get(0), AwsValues.fqdn(identity.get(1)), identity.get(2));
            case SECRETS_MANAGER_SECRET -> identity.get(0);
            case EKS_NODEGROUP -> identity.get(0) + "/" + name;
            default -> name;
        };
        return new AwsResource(kind.kind(), name, id, fields, object.source());
    }

    private static boolean fits(AwsKind.Type type, JsonNode value) {
        return switch (type) {
            case STRING -> value.isTextual();
            case INT -> value.isIntegralNumber();
            case BOOL -> value.isBoolean();
            case LIST -> value.isArray();
            case MAP -> value.isObject();
        };
    }

    private static LoadError error(DesiredResource object, String message) {
        return new LoadError(object.source(), "aws-field", message);
    }
}
