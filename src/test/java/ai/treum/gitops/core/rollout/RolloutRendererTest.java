package ai.treum.gitops.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.LoadResult;
import ai.treum.gitops.core.load.ManifestLoader;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import ai.treum.gitops.model.RolloutPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutRendererTest {

    private static final RolloutPolicy POLICY = RolloutPolicy.defaults();

    private static List<DesiredResource> revision(String strategy, String image, int replicas) {
        LoadResult loaded = ManifestLoader.load(List.of(new SourceFile("k/app.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations: {gitops.treum.ai/strategy: %s}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers: [{name: web, image: "%s"}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: other
                spec:
                  selector: {app: other}
                  ports: [{port: 80}]
                """.formatted(strategy, replicas, image))), "shop");
        return ((LoadResult.Loaded) loaded).resources();
    }

    private static RolloutState state(String target, int step, String colors) {
        return RolloutState.of(Map.of(RolloutState.TARGET, target, RolloutState.STEP, Integer.toString(step),
                RolloutState.COLORS, colors));
    }

    private static DesiredResource find(Rendered rendered, String kind, String name) {
        return rendered.objects().stream().filter(o -> o.key().kind().equals(kind) && o.key().name().equals(name))
                .findFirst().orElse(null);
    }

    private static int replicas(Rendered rendered, String name) {
        DesiredResource found = find(rendered, "Deployment", name);
        return found == null ? -1 : found.body().path("spec").path("replicas").asInt();
    }

    private static String image(Rendered rendered, String name) {
        return find(rendered, "Deployment", name).body().at("/spec/template/spec/containers/0/image").asText();
    }

    @Test
    void canaryReplicasFollowTheStepsThenThePromotedDeploymentTakesAll() {
        List<DesiredResource> stable = revision("canary", "web:1", 10);
        List<DesiredResource> target = revision("canary", "web:2", 10);
        int[][] expected = {{9, 1}, {5, 5}, {0, 10}, {10, 10}};
        for (int step = 0; step < expected.length; step++) {
            Rendered rendered = RolloutRenderer.render(POLICY, "b", target, Optional.of(stable), state("b", step, ""));
            assertThat(new int[] {replicas(rendered, "web"), replicas(rendered, "web-canary")}).as("step " + step)
                    .containsExactly(expected[step]);
            assertThat(image(rendered, "web-canary")).isEqualTo("web:2");
            assertThat(image(rendered, "web")).isEqualTo(step < 3 ? "web:1" : "web:2");
            assertThat(find(rendered, "Deployment", "web-canary").body().at("/spec/template/metadata/labels"))
                    .hasToString("{\"app\":\"web\",\"gitops.treum.ai/track\":\"canary\"}");
            assertThat(rendered.progressive()).hasSize(1);
            assertThat(rendered.lastStep()).isEqualTo(3);
        }
    }

    @Test
    void aStepOfAnotherRevisionStartsTheRolloutAtItsFirstStep() {
        Rendered rendered = RolloutRenderer.render(POLICY, "c", revision("canary", "web:3", 4),
                Optional.of(revision("canary", "web:1", 4)), state("b", 2, ""));

        assertThat(replicas(rendered, "web")).isEqualTo(3);
        assertThat(replicas(rendered, "web-canary")).isEqualTo(1);
    }

    @Test
    void outsideARolloutTheCanaryIsRetiredAndTheDeploymentIsGitsOwn() {
        Rendered same = RolloutRenderer.render(POLICY, "b", revision("canary", "web:2", 10),
                Optional.of(revision("canary", "web:2", 3)), state("", 0, ""));

        assertThat(same.inProgress()).isFalse();
        assertThat(replicas(same, "web")).isEqualTo(10);
        assertThat(find(same, "Deployment", "web-canary")).isNull();
        assertThat(same.retired()).containsExactly(new ResourceKey("apps", "Deployment", "shop", "web-canary"));
    }

    @Test
    void blueGreenRunsTheNewColourBesideTheOldThenSwitchesTheService() {
        List<DesiredResource> stable = revision("blue-green", "web:1", 2);
        List<DesiredResource> target = revision("blue-green", "web:2", 2);

        Rendered preview = RolloutRenderer.render(POLICY, "b", target, Optional.of(stable), state("b", 0, "web=blue"));
        assertThat(image(preview, "web-blue")).isEqualTo("web:1");
        assertThat(image(preview, "web-green")).isEqualTo("web:2");
        assertThat(find(preview, "Deployment", "web")).isNull();
        assertThat(find(preview, "Service", "web").body().path("spec").path("selector"))
                .hasToString("{\"app\":\"web\",\"gitops.treum.ai/color\":\"blue\"}");
        assertThat(find(preview, "Service", "other").body().path("spec").path("selector")).hasToString("{\"app\":\"other\"}");
        assertThat(find(preview, "Deployment", "web-green").body().path("spec").path("selector").path("matchLabels"))
                .hasToString("{\"app\":\"web\",\"gitops.treum.ai/color\":\"green\"}");

        Rendered promoted = RolloutRenderer.render(POLICY, "b", target, Optional.of(stable), state("b", 1, "web=blue"));
        assertThat(find(promoted, "Service", "web").body().at("/spec/selector/gitops.treum.ai~1color").asText())
                .isEqualTo("green");
        assertThat(find(promoted, "Deployment", "web-blue")).isNotNull();

        Rendered settled = RolloutRenderer.render(POLICY, "b", target, Optional.empty(), state("", 0, "web=green"));
        assertThat(settled.inProgress()).isFalse();
        assertThat(image(settled, "web-green")).isEqualTo("web:2");
        assertThat(find(settled, "Deployment", "web-blue")).isNull();
        assertThat(settled.retired()).containsExactly(new ResourceKey("apps", "Deployment", "shop", "web-blue"));
    }

    @Test
    void rollingWorkloadsAndUnchangedTemplatesAreAppliedAsGitSays() {
        List<DesiredResource> target = revision("rolling", "web:2", 2);
        Rendered rendered = RolloutRenderer.render(POLICY, "b", target, Optional.of(revision("rolling", "web:1", 2)),
                state("", 0, ""));

        assertThat(rendered.objects()).isEqualTo(target);
        assertThat(rendered.retired()).isEmpty();
    }

    @Test
    void strategiesAreChecked() {
        List<DesiredResource> bad = revision("big-bang", "web:1", 1);

        assertThat(Strategy.check(bad)).singleElement().hasToString(
                "k/app.yaml:1: rollout-strategy: Deployment/shop/web: gitops.treum.ai/strategy must be rolling, blue-green or "
                        + "canary, found big-bang");
        assertThat(Strategy.check(revision("canary", "web:1", 1))).isEmpty();
    }
}
