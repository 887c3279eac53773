package ai.treum.gitops.core.network;

import java.util.Map;

/**
 * One end of a connection: the pods of a template (namespace, labels, named container ports), or
 * an address outside the cluster (a managed database, S3, an external API). Pure.
 */
record Endpoint(boolean external, String namespace, Map<String, String> labels, Map<String, String> namespaceLabels,
        Map<String, Integer> ports) {

    static final Endpoint OUTSIDE = new Endpoint(true, "", Map.of(), Map.of(), Map.of());

    /** The cluster's DNS, as EKS runs it: CoreDNS pods labelled k8s-app=kube-dns in kube-system. */
    static final Endpoint DNS = pods("kube-system", Map.of("k8s-app", "kube-dns"));

    /** Prometheus of kube-prometheus-stack in namespace monitoring. */
    static final Endpoint PROMETHEUS = pods("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));

    static Endpoint pods(String namespace, Map<String, String> labels) {
        return new Endpoint(false, namespace, labels, Map.of("kubernetes.io/metadata.name", namespace), Map.of());
    }
}
