package ai.treum.gitops.core.load;

import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every Secret a pod template reads (env secretKeyRef, envFrom secretRef, secret and projected
 * volumes, imagePullSecrets) must be one the revision declares or produces: a Secret, the target
 * of an ExternalSecret, the secretName of a cert-manager Certificate, or the TLS Secret of an
 * Ingress that cert-manager issues for. A reference marked {@code optional: true} may be missing.
 * A Secret made by hand is still a finding: on a fresh cluster the workload would never start.
 * Pure.
 */
public final class SecretReferences {

    private static final String RULE = "secret-unresolved";

    private SecretReferences() {
    }

    public static List<LoadError> check(List<DesiredResource> objects) {
        Set<String> produced = new HashSet<>();
        for (DesiredResource object : objects) {
            produced(object).forEach(name -> produced.add(object.key().namespace() + "/" + name));
        }
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource object : objects) {
            readBy(object).forEach((name, how) -> {
                if (!produced.contains(object.key().namespace() + "/" + name)) {
                    errors.add(new LoadError(object.source(), RULE, object.key() + " reads Secret " + name + " (" + how
                            + "), which nothing in the revision declares or produces (a Secret, an ExternalSecret's "
                            + "target, a Certificate): on a fresh cluster its pods would not start"));
                }
            });
        }
        return errors;
    }

    /**
     * The Secrets an object's pods read and do not mark optional, each with where they read it;
     * none for an object without a pod template.
     */
    public static Map<String, String> readBy(DesiredResource object) {
        return PodTemplates.of(object).map(template -> read(template.path("spec"))).orElse(Map.of());
    }

    private static List<String> produced(DesiredResource object) {
        JsonNode body = object.body();
        String kind = object.key().kind();
        String group = object.key().group();
        if (kind.equals("Secret") && group.isEmpty()) {
            return List.of(object.key().name());
        }
        if (kind.equals("ExternalSecret") && group.equals("external-secrets.io")) {
            return List.of(body.path("spec").path("target").path("name").asText(object.key().name()));
        }
        if (kind.equals("Certificate") && group.equals("cert-manager.io")) {
            return List.of(body.path("spec").path("secretName").asText());
        }
        JsonNode annotations = body.path("metadata").path("annotations");
        if (kind.equals("Ingress") && (annotations.has("cert-manager.io/cluster-issuer")
                || annotations.has("cert-manager.io/issuer"))) {
            List<String> names = new ArrayList<>();
            body.path("spec").path("tls").forEach(tls -> names.add(tls.path("secretName").asText()));
            return names;
        }
        return List.of();
    }

    /** Each Secret the pod reads and does not mark optional, with where it reads it. */
    private static Map<String, String> read(JsonNode pod) {
        Map<String, String> read = new LinkedHashMap<>();
        for (String containers : List.of("initContainers", "containers")) {
            for (JsonNode container : pod.path(containers)) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (ref.has("name") && !ref.path("optional").asBoolean(false)) {
                        read.putIfAbsent(ref.path("name").asText(), "env " + env.path("name").asText() + " of container "
                                + container.path("name").asText());
                    }
                }
                for (JsonNode from : container.path("envFrom")) {
                    JsonNode ref = from.path("secretRef");
                    if (ref.has("name") && !ref.path("optional").asBoolean(false)) {
                        read.putIfAbsent(ref.path("name").asText(), "envFrom of container " + container.path("name").asText());
                    }
                }
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            JsonNode secret = volume.path("secret");
            if (secret.has("secretName") && !secret.path("optional").asBoolean(false)) {
                read.putIfAbsent(secret.path("secretName").asText(), "volume " + volume.path("name").asText());
            }
            for (JsonNode source : volume.path("projected").path("sources")) {
                JsonNode projected = source.path("secret");
                if (projected.has("name") && !projected.path("optional").asBoolean(false)) {
                    read.putIfAbsent(projected.path("name").asText(), "projected volume " + volume.path("name").asText());
                }
            }
        }
        for (JsonNode pull : pod.path("imagePullSecrets")) {
            read.putIfAbsent(pull.path("name").asText(), "imagePullSecrets");
        }
        return read;
    }
}
