package ai.treum.gitops.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.promotion.ImageOverrides.Reference;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageOverridesTest {

    @Test
    void referencesSplitAtTheTagOrDigestNotAtARegistrysPort() {
        assertThat(Reference.parse("registry.treum.ai:5000/treum/api")).isEqualTo(
                new Reference("registry.treum.ai:5000/treum/api", null, null));
        assertThat(Reference.parse("registry.treum.ai:5000/treum/api:1.2")).isEqualTo(
                new Reference("registry.treum.ai:5000/treum/api", "1.2", null));
        assertThat(Reference.parse("api:1.2@sha256:0a1b")).isEqualTo(new Reference("api", "1.2", "sha256:0a1b"));
    }

    @Test
    void onlyImagesBothRunWithAnotherVersionArePromotedAndOnlyFromOneVersion() {
        Map<String, Reference> changes = ImageOverrides.promote(
                Set.of("api:1.9", "web@sha256:ff", "worker:2", "worker:3", "only-staging:1"),
                Set.of("api:1.8", "web:1.0", "worker:1", "only-production:1"));

        assertThat(changes).containsOnlyKeys("api", "web");
        assertThat(ImageOverrides.component("staging", Map.of("cache", new Reference("cache", "7", null)), changes))
                .isEqualTo("""
                        # Written by treum-gitops promote: the images staging proved.
                        apiVersion: kustomize.config.k8s.io/v1alpha1
                        kind: Component
                        images:
                          - name: api
                            newTag: "1.9"
                          - name: cache
                            newTag: "7"
                          - name: web
                            digest: sha256:ff
                        """);
    }

    @Test
    void theComponentIsListedOnceAndAKustomizationWithComponentsOfItsOwnIsLeftToAPerson() {
        assertThat(ImageOverrides.withComponent("resources: [a.yaml]\n")).isEqualTo(
                "resources: [a.yaml]\ncomponents:\n  - promoted\n");
        assertThat(ImageOverrides.withComponent("components:\n  - promoted\n")).isEqualTo("components:\n  - promoted\n");
        assertThat(ImageOverrides.withComponent("components: [tracing]\n")).isNull();
        assertThat(ImageOverrides.held(ImageOverrides.component("staging", Map.of(), Map.of("api",
                new Reference("api", "1.9", null))))).isEqualTo(Map.of("api", new Reference("api", "1.9", null)));
    }
}
