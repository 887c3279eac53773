package ai.treum.gitops.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.kubernetes.DryRunAdmittedObjects;
import ai.treum.gitops.adapter.kubernetes.KubernetesCluster;
import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.schema.OpenApi;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.peers.KubernetesPeer;
import ai.treum.gitops.peers.TestNamespace;
import ai.treum.gitops.port.AdmittedObjects;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Objects that leave out blocks the API server fills in (a container without resources, a port
 * without protocol) meet policies that read them, with has() and directly: offline, with the
 * shipped OpenAPI documents' defaults, the decision and message equal the real kube-apiserver's
 * (dry-run creates under the same policies); without the defaults they would not. A default the
 * documents do not carry (a probe's failureThreshold, a CronJob's concurrencyPolicy) is the API
 * server's only when the server is asked by dry run (treum-gitops.policies.server-defaults).
 */
@ExtendWith(KubernetesPeer.class)
@Tag("peer")
class PolicyDefaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<GenericKubernetesResource> loaded = new ArrayList<>();
    private static PolicySet policies;

    /** One policy of one validation, bound with Deny in the test's namespace: group, resource, expression, message. */
    private record Rule(String name, String group, String resource, String expression, String message) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("limits", "apps", "deployments", "object.spec.template.spec.containers.all(c, has(c.resources.limits))",
                    "every container sets limits"),
            new Rule("tcp-only", "apps", "deployments",
                    "object.spec.template.spec.containers.all(c, !has(c.ports) || c.ports.all(p, p.protocol == 'TCP'))",
                    "ports are TCP only"),
            new Rule("non-root", "apps", "deployments", "object.spec.template.spec.containers.all(c, "
                    + "has(c.securityContext) && c.securityContext.runAsNonRoot == true)", "containers run as non-root"),
            new Rule("probes", "apps", "deployments", "object.spec.template.spec.containers.all(c, "
                    + "!has(c.livenessProbe) || c.livenessProbe.failureThreshold <= 5)", "probes give up within 5 failures"),
            new Rule("cron", "batch", "cronjobs", "object.spec.concurrencyPolicy in ['Allow', 'Forbid', 'Replace']",
                    "a known concurrency policy"));

    private static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: %1$s-%2$s}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules: [{apiGroups: [%3$s], apiVersions: [v1], operations: [CREATE], resources: [%4$s]}]
              validations:
                - expression: "%5$s"
                  message: %6$s
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: %1$s-%2$s}
            spec:
              policyName: %1$s-%2$s
              validationActions: [Deny]
              matchResources:
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %1$s}}
            ---
            """;

    private static final String OBJECTS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: bare}
            spec:
              selector: {matchLabels: {app: bare}}
              template:
                metadata: {labels: {app: bare}}
                spec:
                  containers: [{name: app, image: registry.treum.ai/app:1, ports: [{containerPort: 8000}]}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: limited}
            spec:
              selector: {matchLabels: {app: limited}}
              template:
                metadata: {labels: {app: limited}}
                spec:
                  containers:
                    - name: app
                      image: registry.treum.ai/app:1
                      ports: [{containerPort: 8000}]
                      resources: {limits: {cpu: 500m, memory: 256Mi}}
                      securityContext: {runAsNonRoot: true}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: udp}
            spec:
              selector: {matchLabels: {app: udp}}
              template:
                metadata: {labels: {app: udp}}
                spec:
                  containers:
                    - name: app
                      image: registry.treum.ai/app:1
                      ports: [{containerPort: 53, protocol: UDP}]
                      resources: {limits: {cpu: 500m, memory: 256Mi}}
                      securityContext: {runAsNonRoot: true}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: probed}
            spec:
              selector: {matchLabels: {app: probed}}
              template:
                metadata: {labels: {app: probed}}
                spec:
                  containers:
                    - name: app
                      image: registry.treum.ai/app:1
                      resources: {limits: {cpu: 500m, memory: 256Mi}}
                      securityContext: {runAsNonRoot: true}
                      livenessProbe: {httpGet: {path: /health, port: 8000}}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec:
              schedule: "0 2 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: job, image: registry.treum.ai/job:1}]
            """;

    @BeforeAll
    static void loadPolicies(KubernetesClient client, TestNamespace namespace) {
        StringBuilder withBindings = new StringBuilder();
        RULES.forEach(r -> withBindings.append(POLICY.formatted(namespace.name(), r.name(), r.group(), r.resource(),
                r.expression(), r.message())));
        PolicySet.Compiled compiled = PolicySet.compile(List.of(new SourceFile("policies/defaults.yaml",
                withBindings.toString())));
        assertThat(compiled.errors()).isEmpty();
        policies = compiled.policies();
        for (DesiredResource document : load("policies/defaults.yaml", withBindings.toString(), null)) {
            loaded.add(client.resource(JSON.convertValue(document.body(), GenericKubernetesResource.class)).create());
        }
        DesiredResource bare = objects(namespace).get(0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> apiServer(client, namespace, bare).split("'").length > 5);
    }

    @AfterAll
    static void unloadPolicies(KubernetesClient client) {
        loaded.forEach(r -> client.resource(r).delete());
    }

    @Test
    void withTheDocumentsDefaultsEveryDecisionAndMessageIsTheApiServers(KubernetesClient client, TestNamespace namespace) {
        Map<String, String> theirs = new LinkedHashMap<>();
        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> undefaulted = new LinkedHashMap<>();
        Map<String, String> askingTheServer = new LinkedHashMap<>();
        AdmittedObjects server = new DryRunAdmittedObjects(new KubernetesCluster(client, Duration.ofSeconds(30)));
        for (DesiredResource object : objects(namespace)) {
            String name = object.key().name();
            theirs.put(name, apiServer(client, namespace, object));
            ours.put(name, denials(policies.evaluate("defaults", Subjects.of(List.of(object), OpenApi.shipped()::presented))));
            undefaulted.put(name, denials(policies.evaluate("defaults", Subjects.of(List.of(object)))));
            askingTheServer.put(name, denials(policies.evaluate("defaults", Subjects.of(List.of(object),
                    body -> server.admitted("defaults", body).orElseGet(() -> OpenApi.shipped().presented(body))))));
        }
        assertThat(theirs).containsEntry("limited", "allowed").containsEntry("probed", "allowed")
                .containsEntry("nightly", "allowed");
        assertThat(theirs.get("udp")).contains("ports are TCP only").doesNotContain("every container sets limits");
        assertThat(theirs.get("bare")).doesNotContain("TCP only");
        // a probe's failureThreshold is defaulted in the API server's code, not in the documents
        assertThat(ours.get("probed")).startsWith("expression 'object.spec.template.spec.containers.all(c, "
                + "!has(c.livenessProbe) || c.livenessProbe.failureThreshold <= 5)' resulted in error");
        // so is a CronJob's concurrencyPolicy
        assertThat(ours.get("nightly")).startsWith("expression 'object.spec.concurrencyPolicy in ['Allow', 'Forbid', "
                + "'Replace']' resulted in error");
        for (String name : theirs.keySet()) {
            agree(name, askingTheServer.get(name), theirs.get(name));
            if (!name.equals("probed") && !name.equals("nightly")) {
                agree(name, ours.get(name), theirs.get(name));
            }
        }
        assertThat(ours).containsEntry("limited", "allowed").containsEntry("udp", "ports are TCP only");
        assertThat(ours.get("bare").split("\n")).containsExactly("every container sets limits", "containers run as non-root");
        assertThat(undefaulted.get("bare")).as("without the defaults, a missing block is an evaluation error")
                .contains("resulted in error");
    }

    /** The same decision; when denied, the API server names the first policy that denies, and ours lists that too. */
    private static void agree(String name, String ours, String theirs) {
        assertThat(ours.equals("allowed")).as(name + ": ours " + ours + "; API server " + theirs)
                .isEqualTo(theirs.equals("allowed"));
        assertThat(ours.split("\n")).as(name + ": API server " + theirs).anySatisfy(m -> assertThat(theirs).contains(m));
    }

    private static String denials(PolicyReport report) {
        return report.denied() ? String.join("\n", report.denials().stream().map(PolicyFinding::message).toList())
                : "allowed";
    }

    /** The API server's verdict of a dry-run create: allowed, or its denial message. */
    private static String apiServer(KubernetesClient client, TestNamespace namespace, DesiredResource object) {
        GenericKubernetesResource resource = JSON.convertValue(object.body(), GenericKubernetesResource.class);
        try {
            client.resource(resource).inNamespace(namespace.name()).dryRun().create();
            return "allowed";
        } catch (KubernetesClientException e) {
            assertThat(e.getMessage()).as(object.key() + " is refused by a policy, not as invalid")
                    .contains("ValidatingAdmissionPolicy");
            return e.getMessage();
        }
    }

    private static List<DesiredResource> objects(TestNamespace namespace) {
        return load("objects.yaml", OBJECTS, namespace.name());
    }

    private static List<DesiredResource> load(String path, String yaml, String namespace) {
        return ((LoadResult.Loaded) ManifestLoader.load(List.of(new SourceFile(path, yaml)), namespace)).resources();
    }
}
