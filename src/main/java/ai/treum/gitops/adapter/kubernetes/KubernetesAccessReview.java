package ai.treum.gitops.adapter.kubernetes;

import ai.treum.gitops.port.AccessReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TokenReview and SubjectAccessReview against the API server: the same decisions kubectl's
 * requests get, so a RoleBinding is all it takes to let somebody sync or roll back.
 */
public class KubernetesAccessReview implements AccessReview {

    private final KubernetesClient client;

    public KubernetesAccessReview(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Caller> authenticate(String token) throws Unavailable {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
        try {
            TokenReview answer = client.authentication().v1().tokenReviews().create(review);
            if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())) {
                return Optional.empty();
            }
            UserInfo user = answer.getStatus().getUser();
            return Optional.of(new Caller(user.getUsername(), user.getUid() == null ? "" : user.getUid(),
                    user.getGroups() == null ? List.of() : user.getGroups(),
                    user.getExtra() == null ? Map.of() : user.getExtra()));
        } catch (KubernetesClientException e) {
            throw new Unavailable("cannot review the token: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean permits(Caller caller, String verb, String environment) throws Unavailable {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(caller.name()).withUid(caller.uid()).withGroups(caller.groups()).withExtra(caller.extra())
                .withNewResourceAttributes().withGroup(GROUP).withResource(RESOURCE).withVerb(verb)
                .withName(environment).endResourceAttributes()
                .endSpec().build();
        try {
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            throw new Unavailable("cannot review access: " + e.getMessage(), e);
        }
    }
}
