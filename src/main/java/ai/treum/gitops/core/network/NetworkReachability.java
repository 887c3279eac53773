package ai.treum.gitops.core.network;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.core.policy.LabelSelector;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether every workload of a revision can make the connections it says it needs, under the
 * revision's NetworkPolicies as the API server's semantics have them (a pod selected by a policy
 * of a direction is isolated in it, and then only what some such policy's rules allow passes).
 * Each pod template (Deployments, StatefulSets, DaemonSets, Jobs, hooks, CronJobs, the backup
 * CronJobs a BackupPolicy makes) lists its needs in the annotation {@value #NEEDS}:
 * <ul>
 * <li>{@code dns}: UDP 53 to the cluster's DNS in kube-system;</li>
 * <li>{@code postgres}, {@code redis}, {@code https}: TCP 5432, 6379 or 443 to outside the
 * cluster (RDS, ElastiCache, S3, Secrets Manager, external APIs);</li>
 * <li>{@code scrape}: Prometheus in namespace monitoring reaches the container port named
 * {@code metrics}, else {@code http};</li>
 * <li>{@code service:NAME}: the pods behind the revision's Service NAME, on each of its ports,
 * allowed out of this workload and into theirs.</li>
 * </ul>
 * Only the revision's own policies are known; a cluster that enforces none admits everything,
 * so this check is what proves the paths. Pure.
 */
public final class NetworkReachability {

    public static final String NEEDS = "gitops.treum.ai/needs";
    private static final String RULE = "network-unreachable";
    private static final Set<String> KNOWN = Set.of("dns", "postgres", "redis", "https", "scrape");
    private static final Map<String, Integer> OUTSIDE_PORTS = Map.of("postgres", 5432, "redis", 6379, "https", 443);

    private NetworkReachability() {
    }

    /** One finding per need that no path allows, naming the workload's file and line. */
    public static List<LoadError> check(List<DesiredResource> objects) {
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        objects.stream().filter(o -> o.key().kind().equals("Namespace")).forEach(o -> namespaceLabels.put(o.key().name(),
                labels(o.body().path("metadata").path("labels"))));
        List<NetworkPolicy> policies = objects.stream().filter(o -> o.key().kind().equals("NetworkPolicy")
                && o.apiVersion().equals("networking.k8s.io/v1")).map(NetworkPolicy::of).toList();
        List<Workload> workloads = objects.stream().map(o -> Workload.of(o, namespaceLabels)).flatMap(Optional::stream).toList();
        List<LoadError> findings = new ArrayList<>();
        for (Workload workload : workloads) {
            for (String need : workload.needs()) {
                problem(need, workload, workloads, objects, policies)
                        .ifPresent(p -> findings.add(new LoadError(workload.object().source(), RULE, workload.object().key()
                                + " needs " + need + ", " + p)));
            }
        }
        return findings;
    }

    private static Optional<String> problem(String need, Workload workload, List<Workload> workloads,
            List<DesiredResource> objects, List<NetworkPolicy> policies) {
        Endpoint pods = workload.pods();
        if (need.equals("dns")) {
            return blockedOut(policies, pods, Endpoint.DNS, 53, "UDP", "UDP 53 to the cluster's DNS in kube-system");
        }
        if (OUTSIDE_PORTS.containsKey(need)) {
            int port = OUTSIDE_PORTS.get(need);
            return blockedOut(policies, pods, Endpoint.OUTSIDE, port, "TCP", "TCP " + port + " to outside the cluster");
        }
        if (need.equals("scrape")) {
            Integer port = Optional.ofNullable(pods.ports().get("metrics")).orElse(pods.ports().get("http"));
            if (port == null) {
                return Optional.of("but its pods have no container port named metrics or http to be scraped on");
            }
            return blockedIn(policies, Endpoint.PROMETHEUS, pods, port, "TCP", "from Prometheus in monitoring on TCP " + port);
        }
        if (need.startsWith("service:")) {
            return service(need.substring("service:".length()), workload, workloads, objects, policies);
        }
        return Optional.of("which is not a need this check knows: " + String.join(", ", KNOWN.stream().sorted().toList())
                + " or service:NAME");
    }

    private static Optional<String> service(String name, Workload workload, List<Workload> workloads,
            List<DesiredResource> objects, List<NetworkPolicy> policies) {
        Optional<DesiredResource> service = objects.stream().filter(o -> o.key().kind().equals("Service")
                && o.key().name().equals(name) && o.key().namespace().equals(workload.object().key().namespace())).findFirst();
        if (service.isEmpty()) {
            return Optional.of("but the revision declares no Service " + name + " in its namespace");
        }
        JsonNode spec = service.get().body().path("spec");
        Map<String, String> selector = labels(spec.path("selector"));
        List<Workload> behind = workloads.stream().filter(w -> w.pods().namespace().equals(workload.pods().namespace())
                && !selector.isEmpty() && new LabelSelector(selector, List.of()).matches(w.pods().labels())).toList();
        if (behind.isEmpty()) {
            return Optional.of("but no pod template of the revision is behind Service " + name);
        }
        List<String> blocked = new ArrayList<>();
        for (Workload target : behind) {
            for (JsonNode servicePort : spec.path("ports")) {
                JsonNode targetPort = servicePort.has("targetPort") ? servicePort.path("targetPort") : servicePort.path("port");
                Integer number = targetPort.isInt() ? Integer.valueOf(targetPort.asInt()) : target.pods().ports().get(targetPort.asText());
                if (number == null) {
                    continue;
                }
                String protocol = servicePort.path("protocol").asText("TCP");
                String what = protocol + " " + number + " of " + target.object().key();
                blockedOut(policies, workload.pods(), target.pods(), number, protocol, what).ifPresent(blocked::add);
                blockedIn(policies, workload.pods(), target.pods(), number, protocol, what + " from these pods")
                        .ifPresent(blocked::add);
            }
        }
        return blocked.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", blocked));
    }

    private static Optional<String> blockedOut(List<NetworkPolicy> policies, Endpoint from, Endpoint to, int port,
            String protocol, String what) {
        List<NetworkPolicy> selecting = policies.stream().filter(p -> p.egressTypes() && p.selects(from)).toList();
        boolean allowed = selecting.isEmpty() || selecting.stream().anyMatch(p -> p.egress().stream()
                .anyMatch(r -> r.admits(to, to, port, protocol, p.namespace())));
        return allowed ? Optional.empty() : Optional.of("but no egress rule of the NetworkPolicies that select its pods ("
                + names(selecting) + ") allows " + what);
    }

    private static Optional<String> blockedIn(List<NetworkPolicy> policies, Endpoint from, Endpoint to, int port,
            String protocol, String what) {
        List<NetworkPolicy> selecting = policies.stream().filter(p -> p.ingressTypes() && p.selects(to)).toList();
        boolean allowed = selecting.isEmpty() || selecting.stream().anyMatch(p -> p.ingress().stream()
                .anyMatch(r -> r.admits(from, to, port, protocol, p.namespace())));
        return allowed ? Optional.empty() : Optional.of("but no ingress rule of the NetworkPolicies that select the receiving "
                + "pods (" + names(selecting) + ") allows " + what);
    }

    private static String names(List<NetworkPolicy> policies) {
        return policies.stream().map(NetworkPolicy::name).collect(Collectors.joining(", "));
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
