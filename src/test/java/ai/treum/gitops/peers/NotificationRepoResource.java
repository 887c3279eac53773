package ai.treum.gitops.peers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Environment {@code notified} (namespace {@code notified-target}): a rolling Deployment and a
 * post-sync smoke-test Job, and three notification targets on a loopback {@link NotificationSink}:
 * Slack and a signed webhook for rollbacks, and GitHub commit statuses of {@code treum/infra}. The
 * webhook receiver refuses its first two requests. Secrets are files of a temporary folder.
 */
public class NotificationRepoResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "notified-target";
    public static final String HMAC_KEY = "hmac-key-for-the-test";
    private static NotificationSink sink;
    private static Path repository;

    @Override
    public Map<String, String> start() {
        try {
            sink = new NotificationSink(2);
            Path secrets = Files.createTempDirectory("treum-gitops-notification-secrets");
            Files.writeString(secrets.resolve("slack-url"), sink.url("/slack/T000/B000/XXXX") + "\n");
            Files.writeString(secrets.resolve("hook-hmac"), HMAC_KEY);
            Files.writeString(secrets.resolve("github-token"), "ghs_test_token\n");
            repository = FixtureRepo.create("treum-gitops-notified", tree -> write(tree, "1.0", true));
            return Map.of("treum-gitops.git.url", repository.toUri().toString(), "treum-gitops.git.branch", "main",
                    "treum-gitops.git.poll-interval", "1s", "treum-gitops.health-interval", "1s",
                    "treum-gitops.notifications.secrets-dir", secrets.toString(),
                    "treum-gitops.notifications.github-api-url", sink.url("/github"),
                    "treum-gitops.notifications.retry-delay", "200ms");
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public static NotificationSink sink() {
        return sink;
    }

    public static Path repository() {
        return repository;
    }

    /** The environment at a version whose smoke test succeeds or never gets a pod to run (deadline 3 s). */
    public static void write(Path tree, String version, boolean smokeSucceeds) throws IOException {
        Path dir = FixtureRepo.environment(tree, "notified", NAMESPACE, "sync: {auto: true, interval: 10m}",
                "notifications:",
                "  - {name: ops-slack, slack: {urlSecret: slack-url}, reasons: [RolledBack]}",
                "  - {name: audit, webhook: {url: '" + sink.url(NotificationSink.WEBHOOK_PATH) + "', hmacSecret: hook-hmac},"
                        + " reasons: [RolledBack], severity: warning}",
                "  - {name: commits, githubStatus: {repository: treum/infra, tokenSecret: github-token}}");
        StrategyRepoResource.write(dir, NAMESPACE, "rolling", 1, version, true);
        Files.writeString(dir.resolve("smoke.yaml"), """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: smoke
                  annotations: {gitops.treum.ai/hook: post-sync}
                spec:
                  backoffLimit: 0
                  activeDeadlineSeconds: %d
                  template:
                    metadata:
                      labels: {app: smoke%s}
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: smoke
                          image: registry.treum.ai/web:%s
                          command: ["sh", "-c", "curl -fsS http://web/healthz"]
                """.formatted(smokeSucceeds ? 60 : 3, smokeSucceeds ? "" : ", kwok.treum.ai/never-ready: \"true\"", version));
    }

    @Override
    public void stop() {
        sink.close();
    }
}
