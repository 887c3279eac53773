package ai.treum.gitops.peers;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of real service accounts of the JVM's kube-apiserver, each bound by a
 * ClusterRole to verbs on {@code environments} of {@code gitops.treum.ai}: what the daemon's
 * TokenReview and SubjectAccessReview then see, exactly as in a cluster.
 */
public final class ApiTokens {

    /** The namespace of the callers' service accounts; kube-apiserver makes it by itself. */
    public static final String NAMESPACE = "default";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private ApiTokens() {
    }

    /** May sync, roll back and read every environment. */
    public static String operator() {
        return token("treum-operator", List.of("sync", "rollback", "get", "list"));
    }

    /** May read every environment, and nothing else. */
    public static String reader() {
        return token("treum-reader", List.of("get", "list"));
    }

    /** A request as an operator sends one: the operator's bearer token, and JSON. */
    public static RequestSpecification asOperator() {
        return RestAssured.given().header("Authorization", "Bearer " + operator()).contentType("application/json")
                .body("{}");
    }

    /** The user name the API server gives a caller of this suite. */
    public static String user(String account) {
        return "system:serviceaccount:" + NAMESPACE + ":" + account;
    }

    /** The token in a file, for the command line's {@code --token-file}. */
    public static Path file(String token) {
        try {
            Path file = Files.createTempFile("treum-gitops-token", "");
            Files.writeString(file, token + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(String account, List<String> verbs) {
        return TOKENS.computeIfAbsent(account, name -> {
            try (KubernetesClient client = KubernetesPeer.adminClient()) {
                client.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName(name).endMetadata().build()).fieldManager("api-tokens").serverSideApply();
                client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name)
                        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("gitops.treum.ai")
                                .withResources("environments").withVerbs(verbs).build())
                        .build()).fieldManager("api-tokens").serverSideApply();
                client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                        .withName(name).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(NAMESPACE).endSubject()
                        .build()).fieldManager("api-tokens").serverSideApply();
                return client.serviceAccounts().inNamespace(NAMESPACE).withName(name).tokenRequest(
                        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build())
                        .getStatus().getToken();
            }
        });
    }
}
