package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.treum.gitops.model.NotificationTarget;
import ai.treum.gitops.peers.FixtureRepo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** spec.notifications as Git may write them, and what Git may not make the daemon do with them. */
@Tag("peer")
class NotificationsBlockTest {

    private static EnvironmentLoader.Result load(String notifications) {
        return EnvironmentLoader.load(new SourceFile("environments/production/environment.yaml",
                FixtureRepo.environmentYaml("production", "treum-production") + "  notifications:\n" + notifications),
                "production");
    }

    private static List<String> errors(String notifications) {
        EnvironmentLoader.Result result = load(notifications);
        assertThat(result.environment()).isNull();
        return result.errors().stream().map(LoadError::toString).toList();
    }

    @Test
    void eachKindIsRead() {
        List<NotificationTarget> targets = load("""
                    - {name: ops, slack: {urlSecret: slack-ops}, reasons: [RolledBack, SyncFailed], severity: warning}
                    - {name: audit, webhook: {url: 'https://audit.treum.ai/gitops', hmacSecret: audit-hmac}}
                    - {name: commits, githubStatus: {repository: treum/infra, tokenSecret: github-status}}
                """).environment().notifications();

        assertThat(targets).extracting(NotificationTarget::name, NotificationTarget::kind, NotificationTarget::address,
                NotificationTarget::secret).containsExactly(
                        tuple("ops", NotificationTarget.Kind.SLACK, "", "slack-ops"),
                        tuple("audit", NotificationTarget.Kind.WEBHOOK,
                                "https://audit.treum.ai/gitops", "audit-hmac"),
                        tuple("commits", NotificationTarget.Kind.GITHUB_STATUS, "treum/infra",
                                "github-status"));
        assertThat(targets.get(0).reasons()).isEqualTo(Set.of("RolledBack", "SyncFailed"));
        assertThat(targets.get(0).severity()).isEqualTo(NotificationTarget.Severity.WARNING);
    }

    @Test
    void gitCannotPointASecretOutsideItsFolderNorSendToAPlainHttpHost() {
        assertThat(errors("""
                    - {name: leak, slack: {urlSecret: ../../var/run/secrets/kubernetes.io/serviceaccount/token}}
                    - {name: plain, webhook: {url: 'http://collector.example.com/in', hmacSecret: key}}
                    - {name: creds, webhook: {url: 'https://user:pw@example.com/in', hmacSecret: key}}
                    - {name: both, slack: {urlSecret: a}, webhook: {url: 'https://example.com', hmacSecret: b}}
                    - {name: repo, githubStatus: {repository: 'treum', tokenSecret: t}, reasons: [Exploded], severity: loud}
                """)).allSatisfy(e -> assertThat(e).startsWith("environments/production/environment.yaml:7: "
                        + "environment-notifications: spec.notifications["))
                .anySatisfy(e -> assertThat(e).contains("[0].slack.urlSecret must name a file of the notification secrets"))
                .anySatisfy(e -> assertThat(e).contains("[1].webhook.url must be an https:// URL without credentials"))
                .anySatisfy(e -> assertThat(e).contains("[2].webhook.url must be an https:// URL without credentials"))
                .anySatisfy(e -> assertThat(e).contains("[3] must be exactly one of slack, webhook or githubStatus"))
                .anySatisfy(e -> assertThat(e).contains("[4].githubStatus.repository must be owner/name, found 'treum'"))
                .anySatisfy(e -> assertThat(e).contains("[4].reasons: Exploded is not a reason the daemon sends"))
                .anySatisfy(e -> assertThat(e).contains("[4].severity must be info or warning, found loud"))
                .hasSize(7);
    }
}
