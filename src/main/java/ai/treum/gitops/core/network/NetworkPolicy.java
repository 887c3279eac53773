package ai.treum.gitops.core.network;

import ai.treum.gitops.core.policy.LabelSelector;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A networking.k8s.io/v1 NetworkPolicy as the API server's semantics read it: the pods of its
 * namespace it selects, which directions it isolates them in, and the rules that allow traffic.
 * Pure.
 *
 * @param ingressTypes whether it isolates the pods it selects for ingress
 * @param egressTypes  whether it isolates them for egress
 */
record NetworkPolicy(String name, String namespace, LabelSelector podSelector, boolean ingressTypes, boolean egressTypes,
        List<Rule> ingress, List<Rule> egress) {

    /** One rule: traffic to or from any of the peers (none listed: anywhere) on any of the ports (none listed: every port). */
    record Rule(List<Peer> peers, List<PortRange> ports) {

        boolean admits(Endpoint other, Endpoint pod, int port, String protocol, String policyNamespace) {
            boolean portMatches = ports.isEmpty() || ports.stream().anyMatch(p -> p.admits(pod, port, protocol));
            return portMatches && (peers.isEmpty() || peers.stream().anyMatch(p -> p.admits(other, policyNamespace)));
        }
    }

    /**
     * A peer: pods chosen by namespace and pod selectors (a missing namespace selector means the
     * policy's own namespace), or an IP block, which stands for addresses outside the cluster.
     */
    record Peer(LabelSelector namespaceSelector, LabelSelector podSelector, boolean ipBlock) {

        boolean admits(Endpoint other, String policyNamespace) {
            if (ipBlock) {
                return other.external();
            }
            if (other.external()) {
                return false;
            }
            boolean namespace = namespaceSelector == null ? other.namespace().equals(policyNamespace)
                    : namespaceSelector.matches(other.namespaceLabels());
            return namespace && (podSelector == null || podSelector.matches(other.labels()));
        }
    }

    /** A port, a named port of the pod it applies to, or a range up to {@code endPort}. */
    record PortRange(String protocol, String port, int endPort) {

        /** @param pod the pod whose named ports a name refers to: the receiver's, as the API server resolves them */
        boolean admits(Endpoint pod, int number, String wanted) {
            if (!protocol.equals(wanted)) {
                return false;
            }
            if (port == null) {
                return true;
            }
            if (port.chars().allMatch(Character::isDigit)) {
                int from = Integer.parseInt(port);
                return endPort > 0 ? number >= from && number <= endPort : number == from;
            }
            Integer named = pod.ports().get(port);
            return named != null && named == number;
        }
    }

    static NetworkPolicy of(DesiredResource object) {
        JsonNode spec = object.body().path("spec");
        List<String> types = new ArrayList<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asText()));
        boolean declared = !types.isEmpty();
        return new NetworkPolicy(object.key().name(), object.key().namespace(), LabelSelector.of(spec.path("podSelector")),
                declared ? types.contains("Ingress") : true,
                declared ? types.contains("Egress") : spec.has("egress"),
                rules(spec.path("ingress"), "from"), rules(spec.path("egress"), "to"));
    }

    boolean selects(Endpoint pod) {
        return !pod.external() && pod.namespace().equals(namespace) && podSelector.matches(pod.labels());
    }

    private static List<Rule> rules(JsonNode rules, String peersField) {
        List<Rule> parsed = new ArrayList<>();
        for (JsonNode rule : rules) {
            List<Peer> peers = new ArrayList<>();
            for (JsonNode peer : rule.path(peersField)) {
                peers.add(new Peer(peer.has("namespaceSelector") ? LabelSelector.of(peer.path("namespaceSelector")) : null,
                        peer.has("podSelector") ? LabelSelector.of(peer.path("podSelector")) : null, peer.has("ipBlock")));
            }
            List<PortRange> ports = new ArrayList<>();
            for (JsonNode port : rule.path("ports")) {
                ports.add(new PortRange(port.path("protocol").asText("TCP"), port.hasNonNull("port")
                        ? port.path("port").asText() : null, port.path("endPort").asInt(0)));
            }
            parsed.add(new Rule(peers, ports));
        }
        return parsed;
    }
}
