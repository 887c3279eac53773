package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {

    private static final String NS = "treum-staging";

    @Test
    void readsEveryDocumentWithItsLineAndDefaultsTheNamespace() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("environments/staging/kubernetes/api.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: api-settings
                data:
                  PORT: "8000"
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: treum-staging
                ---
                """)), NS);

        assertThat(result).isInstanceOf(LoadResult.Loaded.class);
        List<DesiredResource> resources = ((LoadResult.Loaded) result).resources();
        assertThat(resources).extracting(DesiredResource::key).containsExactly(
                new ResourceKey("", "ConfigMap", NS, "api-settings"),
                new ResourceKey("", "Namespace", null, "treum-staging"));
        assertThat(resources).extracting(r -> r.source().line()).containsExactly(1, 8);
    }

    @Test
    void badYamlNamesFileAndLine() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                data:
                  a: [unclosed
                """)), NS);

        assertThat(errors(result)).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("yaml-syntax");
            assertThat(e.location().file()).isEqualTo("k/bad.yaml");
            assertThat(e.location().line()).withFailMessage("the error must point at the broken line, not the file")
                    .isGreaterThanOrEqualTo(6);
        });
    }

    @Test
    void missingIdentityFieldsAreEachNamed() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/a.yaml", """
                kind: ConfigMap
                metadata: {}
                ---
                apiVersion: v1
                metadata:
                  name: y
                """)), NS);

        assertThat(errors(result)).extracting(LoadError::toString).containsExactly(
                "k/a.yaml:1: missing-apiVersion: ConfigMap has no apiVersion",
                "k/a.yaml:1: missing-name: ConfigMap has no metadata.name",
                "k/a.yaml:4: missing-kind: object has no kind");
    }

    @Test
    void theSameObjectTwiceIsRejectedWithBothPlaces() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n";
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/one.yaml", cm),
                new SourceFile("k/two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  namespace: " + NS + "\n")), NS);

        assertThat(errors(result)).extracting(LoadError::toString).containsExactly(
                "k/two.yaml:1: duplicate-object: ConfigMap/treum-staging/same is already defined at k/one.yaml:1");
    }

    @Test
    void duplicateKeysAreAnErrorNotASilentOverride() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/dup.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                data:
                  a: "1"
                  a: "2"
                """)), NS);

        assertThat(errors(result)).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("yaml-syntax");
            assertThat(e.message()).contains("Duplicate field 'a'");
            assertThat(e.location().line()).isEqualTo(7);
        });
    }

    @Test
    void oneBrokenFileRejectsTheWholeSet() {
        LoadResult result = ManifestLoader.load(List.of(
                new SourceFile("k/good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n"),
                new SourceFile("k/broken.yaml", "apiVersion: v1\nkind: [\n")), NS);

        assertThat(result).withFailMessage("a revision with any error must yield no objects at all")
                .isInstanceOf(LoadResult.Rejected.class);
    }

    @Test
    void customKindsDeclaredClusterScopedByTheirCrdGetNoNamespace() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: quotas.treum.ai
                spec:
                  group: treum.ai
                  scope: Cluster
                  names: {kind: Quota, plural: quotas}
                ---
                apiVersion: treum.ai/v1
                kind: Quota
                metadata:
                  name: global
                """)), NS);

        assertThat(((LoadResult.Loaded) result).resources()).extracting(DesiredResource::key)
                .contains(new ResourceKey("treum.ai", "Quota", null, "global"));
    }

    @Test
    void anAliasIsRefusedNotReadAsItsBareName() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/alias.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          image: *img
                """)), NS);

        assertThat(errors(result)).singleElement().hasToString("k/alias.yaml:10: yaml-alias: an alias (*img) is not "
                + "allowed: write the value out");
    }

    @Test
    void anAnchoredMappingIsRefusedToo() {
        assertThat(errors(ManifestLoader.load(List.of(new SourceFile("k/anchor.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                data: &shared
                  image: registry.treum.ai/web:1.0
                """)), NS))).singleElement().satisfies(e -> {
                    assertThat(e.rule()).isEqualTo("yaml-anchor");
                    assertThat(e.location().line()).isEqualTo(5);
                });
    }

    @Test
    void anAnchorOnASingleValueIsRefusedWhereverItStands() {
        for (String anchored : List.of("  image: &img registry.treum.ai/web:1.0", "  &key image: registry.treum.ai/web:1.0",
                "  images: [registry.treum.ai/web:1.0, &second registry.treum.ai/api:1.0]")) {
            assertThat(errors(ManifestLoader.load(List.of(new SourceFile("k/scalar.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: x
                    data:
                    %s
                    """.formatted(anchored))), NS))).as(anchored).singleElement().satisfies(e -> {
                        assertThat(e.rule()).isEqualTo("yaml-anchor");
                        assertThat(e.location()).hasToString("k/scalar.yaml:6");
                    });
        }
    }

    @Test
    void aSyntaxErrorNeverQuotesTheLineItFoundIt() {
        LoadResult result = ManifestLoader.load(List.of(new SourceFile("k/secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                stringData:
                  password: "hunter2-s3cr3t
                  user: app
                """)), NS);

        assertThat(errors(result)).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("yaml-syntax");
            assertThat(e.toString()).withFailMessage("the source line may hold a secret: %s", e).doesNotContain("s3cr3t");
        });
    }

    @Test
    void aFileTheSourceRefusedIsAnErrorOfThatFile() {
        assertThat(errors(ManifestLoader.load(List.of(SourceFile.refused("k/link.yaml", "symlink",
                "a symbolic link is not followed")), NS))).singleElement()
                .hasToString("k/link.yaml:1: symlink: a symbolic link is not followed");
    }

    private static List<LoadError> errors(LoadResult result) {
        assertThat(result).isInstanceOf(LoadResult.Rejected.class);
        return ((LoadResult.Rejected) result).errors();
    }
}
