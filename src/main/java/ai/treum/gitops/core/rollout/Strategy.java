package ai.treum.gitops.core.rollout;

import ai.treum.gitops.core.load.LoadError;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a Deployment moves to a new pod template, chosen by its annotation {@value #ANNOTATION}. */
public enum Strategy {
    /** the Deployment controller's own rolling update; */
    ROLLING("rolling"),
    /** a second Deployment of the other colour, then the Service switched to it; */
    BLUE_GREEN("blue-green"),
    /** a canary Deployment beside the stable one, its share of the replicas raised step by step. */
    CANARY("canary");

    public static final String ANNOTATION = "gitops.treum.ai/strategy";

    private final String value;

    Strategy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The strategy an object asks for; rolling when it names none. Checked by {@link #check}. */
    public static Strategy of(DesiredResource resource) {
        String named = resource.body().path("metadata").path("annotations").path(ANNOTATION).asText("rolling");
        for (Strategy strategy : values()) {
            if (strategy.value.equals(named)) {
                return strategy;
            }
        }
        return ROLLING;
    }

    /**
     * The problems of the objects' strategy annotations: an unknown value, a strategy on anything
     * but a Deployment, or a blue-green or canary Deployment whose selector is not plain
     * matchLabels (the daemon adds a label to it).
     */
    public static List<LoadError> check(List<DesiredResource> resources) {
        List<LoadError> errors = new ArrayList<>();
        for (DesiredResource resource : resources) {
            Optional<String> named = Optional.ofNullable(resource.body().path("metadata").path("annotations").get(ANNOTATION))
                    .map(JsonNode::asText);
            if (named.isEmpty()) {
                continue;
            }
            boolean known = List.of(values()).stream().anyMatch(s -> s.value.equals(named.get()));
            if (!known) {
                errors.add(new LoadError(resource.source(), "rollout-strategy", resource.key() + ": " + ANNOTATION
                        + " must be rolling, blue-green or canary, found " + named.get()));
            } else if (!resource.key().kind().equals("Deployment")) {
                errors.add(new LoadError(resource.source(), "rollout-strategy", resource.key() + ": " + ANNOTATION
                        + " applies to Deployments only"));
            } else if (!named.get().equals(ROLLING.value)) {
                JsonNode selector = resource.body().path("spec").path("selector");
                if (selector.path("matchLabels").isEmpty() || selector.has("matchExpressions")) {
                    errors.add(new LoadError(resource.source(), "rollout-strategy", resource.key() + ": a " + named.get()
                            + " Deployment needs a selector of matchLabels only"));
                }
            }
        }
        return errors;
    }
}
