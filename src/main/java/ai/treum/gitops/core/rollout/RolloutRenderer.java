package ai.treum.gitops.core.rollout;

import ai.treum.gitops.core.rollout.Rendered.Progressive;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.RolloutPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a revision's objects into what is applied at the current step of a rollout. Pure.
 *
 * <p>A blue-green or canary Deployment is in a rollout when the stable (last healthy) revision
 * has it with another pod template. Then:
 * <ul>
 * <li>canary, step i of n: the stable revision's Deployment with {@code replicas - c}, and
 * {@code <name>-canary} with the new template and {@code c = ceil(replicas × steps[i] / 100)};
 * the Service selects both, so traffic follows the replica ratio. At step n (promoted) the
 * Deployment has the new template and all replicas, the canary still beside it until healthy.</li>
 * <li>blue-green: {@code <name>-<active>} from the stable revision and {@code <name>-<other>} with
 * the new template; the Services that select its pods select the active colour at step 0 and the
 * other from step 1.</li>
 * </ul>
 * Outside a rollout the workload is applied as Git says (under its active colour for blue-green),
 * and whatever a rollout added is retired. Hook Jobs are set apart, to run around the sync.
 */
public final class RolloutRenderer {

    public static final String COLOR_LABEL = "gitops.treum.ai/color";
    public static final String TRACK_LABEL = "gitops.treum.ai/track";

    private RolloutRenderer() {
    }

    /**
     * @param revision the revision whose objects these are
     * @param target   its Kubernetes objects
     * @param stable   the last healthy revision's objects; empty when there is none
     */
    public static Rendered render(RolloutPolicy policy, String revision, List<DesiredResource> target,
            Optional<List<DesiredResource>> stable, RolloutState state) {
        Map<ResourceKey, DesiredResource> out = new LinkedHashMap<>();
        List<DesiredResource> preSync = new ArrayList<>();
        List<DesiredResource> postSync = new ArrayList<>();
        for (DesiredResource r : target) {
            Optional<Hook> hook = Hook.of(r);
            if (hook.isEmpty()) {
                out.put(r.key(), r);
            } else {
                (hook.get() == Hook.PRE_SYNC ? preSync : postSync).add(Hook.forRevision(r, revision));
            }
        }
        List<Progressive> progressive = new ArrayList<>();
        Set<ResourceKey> retired = new HashSet<>();
        int step = state.stepOf(revision);
        for (DesiredResource workload : target) {
            Strategy strategy = Strategy.of(workload);
            if (strategy == Strategy.ROLLING) {
                continue;
            }
            Optional<DesiredResource> old = stable.flatMap(objects -> objects.stream()
                    .filter(o -> o.key().equals(workload.key()) && Strategy.of(o) == strategy).findFirst())
                    .filter(o -> !Objects.equals(o.body().path("spec").path("template"),
                            workload.body().path("spec").path("template")));
            out.remove(workload.key());
            if (strategy == Strategy.CANARY) {
                int last = policy.canarySteps().size();
                old.ifPresentOrElse(o -> {
                    canary(policy, workload, o, Math.min(step, last)).forEach(r -> out.put(r.key(), r));
                    progressive.add(new Progressive(workload.key().name(), strategy, last));
                }, () -> {
                    out.put(workload.key(), workload);
                    retired.add(renamed(workload.key(), "canary"));
                });
            } else {
                String active = state.color(workload.key().name());
                String other = active.equals("blue") ? "green" : "blue";
                String serving = old.isPresent() && step >= 1 ? other : active;
                old.ifPresentOrElse(o -> {
                    out.put(renamed(o.key(), active), colored(o, active));
                    out.put(renamed(workload.key(), other), colored(workload, other));
                    progressive.add(new Progressive(workload.key().name(), strategy, 1));
                }, () -> {
                    out.put(renamed(workload.key(), active), colored(workload, active));
                    retired.add(renamed(workload.key(), other));
                });
                switchServices(workload, serving, out);
            }
        }
        return new Rendered(List.copyOf(out.values()), progressive, retired, preSync, postSync);
    }

    private static List<DesiredResource> canary(RolloutPolicy policy, DesiredResource workload, DesiredResource old,
            int step) {
        int replicas = workload.body().path("spec").path("replicas").asInt(1);
        int last = policy.canarySteps().size();
        if (step >= last) {
            return List.of(workload, withReplicas(tracked(workload), replicas));
        }
        int canaries = Math.max(1, Math.min(replicas, (int) Math.ceil(replicas * policy.canarySteps().get(step) / 100.0)));
        return List.of(withReplicas(old, replicas - canaries), withReplicas(tracked(workload), canaries));
    }

    /** The Deployment as {@code <name>-canary}, its pods labelled as the canary track. */
    private static DesiredResource tracked(DesiredResource workload) {
        return relabelled(workload, "canary", TRACK_LABEL, "canary");
    }

    /** The Deployment as {@code <name>-<color>}, its pods labelled with the colour. */
    private static DesiredResource colored(DesiredResource workload, String color) {
        return relabelled(workload, color, COLOR_LABEL, color);
    }

    private static DesiredResource relabelled(DesiredResource workload, String suffix, String label, String value) {
        ObjectNode body = workload.body().deepCopy();
        ResourceKey key = renamed(workload.key(), suffix);
        body.with("metadata").put("name", key.name());
        body.with("spec").with("selector").with("matchLabels").put(label, value);
        body.with("spec").with("template").with("metadata").with("labels").put(label, value);
        return new DesiredResource(key, workload.apiVersion(), body, workload.source());
    }

    private static DesiredResource withReplicas(DesiredResource workload, int replicas) {
        ObjectNode body = workload.body().deepCopy();
        body.with("spec").put("replicas", replicas);
        return new DesiredResource(workload.key(), workload.apiVersion(), body, workload.source());
    }

    /**
     * Services whose selector picks the workload's pods select the serving colour too, and an
     * autoscaler of the workload scales that colour.
     */
    private static void switchServices(DesiredResource workload, String serving, Map<ResourceKey, DesiredResource> out) {
        JsonNode podLabels = workload.body().path("spec").path("template").path("metadata").path("labels");
        for (DesiredResource object : List.copyOf(out.values())) {
            ObjectNode body = null;
            JsonNode selector = object.body().path("spec").path("selector");
            if (object.key().kind().equals("Service") && Objects.equals(object.key().namespace(), workload.key().namespace())
                    && selector.isObject() && !selector.isEmpty() && selects(selector, podLabels)) {
                body = object.body().deepCopy();
                body.with("spec").with("selector").put(COLOR_LABEL, serving);
            }
            JsonNode scaled = object.body().path("spec").path("scaleTargetRef");
            if (object.key().kind().equals("HorizontalPodAutoscaler") && "Deployment".equals(scaled.path("kind").asText())
                    && workload.key().name().equals(scaled.path("name").asText())) {
                body = object.body().deepCopy();
                body.with("spec").with("scaleTargetRef").put("name", workload.key().name() + "-" + serving);
            }
            if (body != null) {
                out.put(object.key(), new DesiredResource(object.key(), object.apiVersion(), body, object.source()));
            }
        }
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) selector::fields) {
            if (!field.getKey().equals(COLOR_LABEL) && !field.getValue().equals(labels.path(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static ResourceKey renamed(ResourceKey key, String suffix) {
        return new ResourceKey(key.group(), key.kind(), key.namespace(), key.name() + "-" + suffix);
    }
}
