package ai.treum.gitops.core.promotion;

import ai.treum.gitops.core.load.PodTemplates;
import ai.treum.gitops.model.DesiredResource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** The container images objects run: every container and init container of every pod template. Pure. */
public final class Images {

    private Images() {
    }

    public static Set<String> of(Collection<DesiredResource> objects) {
        Set<String> images = new TreeSet<>();
        for (DesiredResource object : objects) {
            PodTemplates.of(object).ifPresent(template -> {
                for (String list : new String[] {"containers", "initContainers"}) {
                    for (JsonNode container : template.path("spec").path(list)) {
                        String image = container.path("image").asText("");
                        if (!image.isEmpty()) {
                            images.add(image);
                        }
                    }
                }
            });
        }
        return images;
    }
}
