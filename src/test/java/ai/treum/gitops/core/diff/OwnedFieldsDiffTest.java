package ai.treum.gitops.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff's rules on fixed objects; the same rules against a real API server are in EnvironmentSyncTest. */
class OwnedFieldsDiffTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ResourceKey KEY = new ResourceKey("", "Service", "treum-staging", "api");
    private final OwnedFieldsDiff differ = new OwnedFieldsDiff("treum-gitops");

    /** A live Service as the API server returns it after the daemon applied port 8000 without a protocol. */
    private static final String LIVE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: api
              namespace: treum-staging
              labels: {app: api, team: payments}
              managedFields:
                - manager: treum-gitops
                  operation: Apply
                  apiVersion: v1
                  fieldsType: FieldsV1
                  fieldsV1:
                    f:metadata: {f:labels: {f:app: {}}}
                    f:spec:
                      f:ports:
                        'k:{"port":8000,"protocol":"TCP"}': {.: {}, f:port: {}, f:targetPort: {}}
                      f:selector: {}
                - manager: kubectl-label
                  operation: Update
                  apiVersion: v1
                  fieldsType: FieldsV1
                  fieldsV1:
                    f:metadata: {f:labels: {f:team: {}}}
            spec:
              clusterIP: 10.0.0.12
              type: ClusterIP
              sessionAffinity: None
              selector: {app: api}
              ports:
                - port: 8000
                  protocol: TCP
                  targetPort: 8000
            """;

    @Test
    void defaultsAndOtherManagersFieldsAreNotDrift() throws Exception {
        ObjectNode desired = yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: api, labels: {app: api}}
                spec:
                  selector: {app: api}
                  ports:
                    - port: 8000
                      targetPort: "8000"
                """);

        assertThat(differ.diff(KEY, desired, yaml(LIVE))).isInstanceOf(ResourceDiff.InSync.class);
    }

    @Test
    void aFieldTheDaemonOwnsButGitNoLongerDeclaresIsDrift() throws Exception {
        ObjectNode desired = yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  selector: {app: api}
                  ports:
                    - port: 8000
                      targetPort: 8000
                """);

        ResourceDiff diff = differ.diff(KEY, desired, yaml(LIVE));

        assertThat(diff).isInstanceOf(ResourceDiff.Drifted.class);
        assertThat(((ResourceDiff.Drifted) diff).fields()).extracting(FieldDiff::path)
                .withFailMessage("the label the daemon applied must go; the one kubectl added is not ours")
                .containsExactly("metadata.labels.app");
    }

    @Test
    void aKeyedListItemRemovedFromGitIsDriftAndANewOneToo() throws Exception {
        ObjectNode desired = yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: api, labels: {app: api}}
                spec:
                  selector: {app: api}
                  ports:
                    - port: 9090
                      targetPort: 9090
                """);

        ResourceDiff diff = differ.diff(KEY, desired, yaml(LIVE));

        assertThat(((ResourceDiff.Drifted) diff).fields()).extracting(FieldDiff::path)
                .containsExactlyInAnyOrder("spec.ports[port=9090]", "spec.ports[port=8000,protocol=TCP]");
    }

    @Test
    void anObjectTheDaemonNeverAppliedIsUnmanaged() throws Exception {
        ObjectNode live = yaml(LIVE);
        ((ObjectNode) live.get("metadata")).remove("managedFields");

        assertThat(differ.diff(KEY, yaml("apiVersion: v1\nkind: Service\nmetadata: {name: api}\n"), live))
                .isInstanceOf(ResourceDiff.Unmanaged.class);
    }

    @Test
    void resourceAmountsCompareByValue() {
        ObjectNode desired = YAML.createObjectNode();
        desired.putObject("spec").putObject("resources").putObject("limits").put("cpu", "1000m");
        ObjectNode live = desired.deepCopy();
        ((ObjectNode) live.at("/spec/resources/limits")).put("cpu", "1");
        live.putObject("metadata").putArray("managedFields").addObject().put("manager", "treum-gitops")
                .put("operation", "Apply").putObject("fieldsV1");

        assertThat(differ.diff(KEY, desired, live)).withFailMessage("1000m and 1 are the same CPU").isInstanceOf(
                ResourceDiff.InSync.class);
    }

    @Test
    void secretValuesAreNeverRendered() throws Exception {
        ResourceKey secret = new ResourceKey("", "Secret", "treum-staging", "db");
        ResourceDiff diff = new ResourceDiff.Drifted(secret, List.of(
                new FieldDiff("data.password", YAML.valueToTree("b2xkLXNlY3JldA=="), YAML.valueToTree("bmV3LXNlY3JldA==")),
                new FieldDiff("metadata.labels.app", null, YAML.valueToTree("api"))));

        List<String> lines = DiffRenderer.render(diff);

        assertThat(lines).containsExactly("Secret/treum-staging/db data.password: *** -> ***",
                "Secret/treum-staging/db metadata.labels.app: (absent) -> \"api\"");
        assertThat(String.join("\n", lines)).doesNotContain("b2xk").doesNotContain("bmV3");
    }

    @Test
    void stringDataIsComparedAsTheServerStoresIt() throws Exception {
        ObjectNode desired = yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {user: treum}
                """);
        ObjectNode live = yaml("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  managedFields:
                    - {manager: treum-gitops, operation: Apply, fieldsV1: {f:stringData: {f:user: {}}}}
                data: {user: dHJldW0=}
                type: Opaque
                """);

        assertThat(differ.diff(new ResourceKey("", "Secret", "treum-staging", "db"), desired, live))
                .isInstanceOf(ResourceDiff.InSync.class);
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) YAML.readTree(text);
    }
}
