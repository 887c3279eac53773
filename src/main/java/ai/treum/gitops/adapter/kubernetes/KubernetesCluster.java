package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.core.plan.ManagedFields;
import ai.treum.gitops.core.plan.Ownership;
import ai.treum.gitops.core.redact.Redactions;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.InventoryEntry;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.ChangeEntry;
import ai.treum.gitops.model.ChangeEntry.Action;
import ai.treum.gitops.port.ClusterApplier;
import ai.treum.gitops.port.ClusterReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The cluster through fabric8: reads, server-side applies and deletes any kind the API server
 * serves. Every write first asks whether this replica may still write for the object's
 * environment (holds its shard), and asks again before each retry: a replica that lost the shard
 * while it waited out a 429 or 5xx does not write over the new holder.
 */
public class KubernetesCluster implements ClusterReader, ClusterApplier {

    private final KubernetesClient client;
    private final Duration establishTimeout;
    private final Predicate<String> mayWriteFor;
    private final ServerSideApply applier;
    private final Map<String, ResourceDefinitionContext> definitions = new ConcurrentHashMap<>();

    /** @param mayWriteFor whether this replica may write for an environment now */
    public KubernetesCluster(KubernetesClient client, Duration establishTimeout, Predicate<String> mayWriteFor) {
        this.client = client;
        this.establishTimeout = establishTimeout;
        this.mayWriteFor = mayWriteFor;
        this.applier = new ServerSideApply(client);
    }

    /** A cluster this process alone writes to: {@code plan}, which only dry-runs, and tests. */
    public KubernetesCluster(KubernetesClient client, Duration establishTimeout) {
        this(client, establishTimeout, environment -> true);
    }

    /** The one cluster of this client, whichever environment asks. */
    @Override
    public Optional<ObjectNode> get(String environment, String apiVersion, ResourceKey key) {
        return get(apiVersion, key);
    }

    public Optional<ObjectNode> get(String apiVersion, ResourceKey key) {
        GenericKubernetesResource live = resource(apiVersion, key).get();
        return Optional.ofNullable(live).map(this::toJson);
    }

    @Override
    public boolean serves(String environment, String apiVersion, String kind) {
        return serves(apiVersion, kind);
    }

    public boolean serves(String apiVersion, String kind) {
        return definition(apiVersion, kind).isPresent();
    }

    /**
     * How to address a kind (its plural, its scope), from discovery once per kind: looked up on
     * every call it would double the requests of a sync. Only found kinds are kept, so a CRD
     * installed later is found on the next call.
     */
    private Optional<ResourceDefinitionContext> definition(String apiVersion, String kind) {
        String id = apiVersion + "/" + kind;
        ResourceDefinitionContext known = definitions.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        APIResourceList resources = client.getApiResources(apiVersion);
        if (resources == null) {
            return Optional.empty();
        }
        Optional<ResourceDefinitionContext> found = resources.getResources().stream()
                .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                .findFirst()
                .map(r -> new ResourceDefinitionContext.Builder()
                        .withGroup(ResourceKey.groupOf(apiVersion))
                        .withVersion(apiVersion.substring(apiVersion.indexOf('/') + 1))
                        .withKind(kind).withPlural(r.getName()).withNamespaced(r.getNamespaced()).build());
        found.ifPresent(d -> definitions.put(id, d));
        return found;
    }

    @Override
    public ChangeEntry apply(DesiredResource resource, boolean forceConflicts) {
        String environment = Ownership.environmentOf(resource.body());
        if (!mayWriteFor.test(environment)) {
            return ChangeEntry.notHeld(resource.key());
        }
        Optional<ServerSideApply.Answer> answer = serverSideApply(resource, forceConflicts, false,
                () -> mayWriteFor.test(environment));
        if (answer.isEmpty()) {
            return notServed(resource.apiVersion(), resource.key());
        }
        if (answer.get().ok()) {
            return ChangeEntry.of(resource.key(), Action.CONFIGURED);
        }
        return mayWriteFor.test(environment) ? failure(resource.key(), answer.get()) : ChangeEntry.notHeld(resource.key());
    }

    /** What a server-side apply would make of the object, computed by the API server and not stored. */
    public record DryRun(ObjectNode result, ChangeEntry failure) {
    }

    public DryRun dryRunApply(DesiredResource resource, boolean forceConflicts) {
        Optional<ServerSideApply.Answer> answer = serverSideApply(resource, forceConflicts, true, () -> true);
        if (answer.isEmpty()) {
            return new DryRun(null, notServed(resource.apiVersion(), resource.key()));
        }
        return answer.get().ok()
                ? new DryRun(client.getKubernetesSerialization().unmarshal(answer.get().text(), ObjectNode.class), null)
                : new DryRun(null, failure(resource.key(), answer.get()));
    }

    /** One server-side apply under the environment's field manager; empty when the cluster does not serve the kind. */
    private Optional<ServerSideApply.Answer> serverSideApply(DesiredResource resource, boolean forceConflicts, boolean dryRun,
            BooleanSupplier mayRetry) {
        return definition(resource.apiVersion(), resource.key().kind()).map(kind -> applier.send(kind, resource.key(),
                resource.body(), Ownership.fieldManager(resource), forceConflicts, dryRun, mayRetry));
    }

    @Override
    public Optional<ObjectNode> handOver(String environment, String apiVersion, ResourceKey key, ObjectNode live, String from,
            String to) {
        Optional<ArrayNode> fields = ManagedFields.handedOver(live, from, to);
        if (fields.isEmpty()) {
            return Optional.of(live);
        }
        if (!mayWriteFor.test(environment)) {
            return Optional.empty();
        }
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                .put("value", live.path("metadata").path("resourceVersion").asText());
        patch.addObject().put("op", "replace").put("path", "/metadata/managedFields").set("value", fields.get());
        try {
            GenericKubernetesResource patched = resource(apiVersion, key)
                    .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
            return Optional.of(toJson(patched));
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    private static ChangeEntry notServed(String apiVersion, ResourceKey key) {
        return new ChangeEntry(key, Action.FAILED, "the cluster does not serve " + apiVersion + " " + key.kind());
    }

    @Override
    public ChangeEntry recreate(DesiredResource resource) {
        ChangeEntry deleted = delete(new InventoryEntry(resource.key(), resource.apiVersion()),
                Ownership.environmentOf(resource.body()));
        if (deleted.action().failed()) {
            return deleted;
        }
        try {
            resource(resource.apiVersion(), resource.key()).waitUntilCondition(o -> o == null,
                    establishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            return new ChangeEntry(resource.key(), Action.FAILED, "still being deleted after " + establishTimeout);
        }
        ChangeEntry applied = apply(resource, false);
        return applied.action().failed() ? applied
                : new ChangeEntry(resource.key(), Action.CREATED, "re-created for an immutable field change");
    }

    @Override
    public ChangeEntry delete(InventoryEntry entry, String environment) {
        if (!mayWriteFor.test(environment)) {
            return ChangeEntry.notHeld(entry.key());
        }
        GenericKubernetesResource live;
        try {
            live = resource(entry.apiVersion(), entry.key()).get();
        } catch (KubernetesClientException e) {
            return failure(entry.key(), e);
        }
        if (live == null) {
            return new ChangeEntry(entry.key(), Action.DELETED, "already gone");
        }
        String owner = live.getMetadata().getLabels() == null ? null
                : live.getMetadata().getLabels().get(Ownership.ENVIRONMENT_LABEL);
        if (!environment.equals(owner)) {
            return new ChangeEntry(entry.key(), Action.SKIPPED, "not deleted: " + (owner == null
                    ? "it no longer carries the label " + Ownership.ENVIRONMENT_LABEL + "=" + environment
                    : "it is labelled as environment " + owner + "'s"));
        }
        return deleteExactly(entry, live.getMetadata().getUid());
    }

    /** Deletes the object only if its uid is still {@code uid}: a re-created object of the same name is another one. */
    public ChangeEntry deleteExactly(InventoryEntry entry, String uid) {
        Optional<ServerSideApply.Answer> answer = definition(entry.apiVersion(), entry.key().kind())
                .map(kind -> applier.delete(kind, entry.key(), uid));
        if (answer.isEmpty()) {
            return notServed(entry.apiVersion(), entry.key());
        }
        if (answer.get().code() == 404) {
            return new ChangeEntry(entry.key(), Action.DELETED, "already gone");
        }
        if (answer.get().code() == 409) {
            return new ChangeEntry(entry.key(), Action.CONFLICT, "not deleted: the object was replaced since it was "
                    + "checked (uid " + uid + " no longer matches)");
        }
        return answer.get().ok() ? ChangeEntry.of(entry.key(), Action.DELETED) : failure(entry.key(), answer.get());
    }

    @Override
    public boolean awaitEstablished(String environment, String crdName) {
        try {
            client.apiextensions().v1().customResourceDefinitions().withName(crdName).waitUntilCondition(
                    crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                    establishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (KubernetesClientTimeoutException e) {
            return false;
        }
    }

    private Resource<GenericKubernetesResource> resource(String apiVersion, ResourceKey key) {
        return scoped(apiVersion, key).withName(key.name());
    }

    /**
     * The kind's objects in a namespace (null: cluster-scoped) not labelled as the environment's,
     * by name, each with the environment whose label it carries ({@code ""}: none).
     */
    Map<String, String> ownersBesides(String apiVersion, String kind, String namespace, String environment) {
        var all = client.genericKubernetesResources(context(apiVersion, kind));
        var scoped = namespace == null ? all : all.inNamespace(namespace);
        return scoped.withoutLabel(Ownership.ENVIRONMENT_LABEL, environment).list().getItems().stream()
                .collect(Collectors.toMap(o -> o.getMetadata().getName(), o -> o.getMetadata().getLabels() == null ? ""
                        : o.getMetadata().getLabels().getOrDefault(Ownership.ENVIRONMENT_LABEL, ""), (a, b) -> a));
    }

    /** How to address every object of a served kind, without discovery once the kind is known. */
    ResourceDefinitionContext context(String apiVersion, String kind) {
        return definition(apiVersion, kind).orElseThrow(() ->
                new KubernetesClientException("the cluster does not serve " + apiVersion + " " + kind));
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> scoped(String apiVersion, ResourceKey key) {
        var kind = client.genericKubernetesResources(context(apiVersion, key.kind()));
        return key.clusterScoped() ? kind : kind.inNamespace(key.namespace());
    }

    private ObjectNode toJson(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, ObjectNode.class);
    }

    private ChangeEntry failure(ResourceKey key, ServerSideApply.Answer answer) {
        if (answer.schemaRejected()) {
            return new ChangeEntry(key, Action.INVALID, safe(key, applier.message(answer)));
        }
        return failure(key, answer.code(), applier.message(answer));
    }

    private static ChangeEntry failure(ResourceKey key, KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return failure(key, e.getCode(), message);
    }

    /** A Secret's refusal keeps only the fields it names: the API server's message may quote the value. */
    private static String safe(ResourceKey key, String message) {
        return key.group().isEmpty() && key.kind().equals("Secret") ? Redactions.secretRefusal(message) : message;
    }

    /** The API server's verdict on one object, classified so the caller can say what to do about it. */
    private static ChangeEntry failure(ResourceKey key, int code, String said) {
        String message = safe(key, said);
        Action action = switch (code) {
            case 409 -> Action.CONFLICT;
            case 422 -> said.contains("immutable") ? Action.IMMUTABLE : Action.INVALID;
            default -> Action.FAILED;
        };
        return new ChangeEntry(key, action, message);
    }
}
