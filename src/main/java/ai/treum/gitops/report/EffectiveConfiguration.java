package ai.treum.gitops.report;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.redact.Redactions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings the daemon runs with, as logged at start. Only addresses, paths and durations:
 * credentials are never settings of ours (they come from files, Secrets and the AWS chain), and
 * addresses pass through {@link Redactions#url} in case one carries a token.
 */
public final class EffectiveConfiguration {

    private EffectiveConfiguration() {
    }

    public static Map<String, String> of(GitopsConfig config, String kubernetesTarget) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("git.url", Redactions.url(config.git().url()));
        settings.put("git.branch", config.git().branch());
        settings.put("git.path", config.git().path());
        settings.put("git.poll-interval", config.git().pollInterval().toString());
        settings.put("git.auth", config.git().sshKeyFile().map(k -> "ssh key " + k)
                .or(() -> config.git().tokenFile().map(t -> "token from " + t)).orElse("none"));
        settings.put("data-dir", config.dataDir().toAbsolutePath().normalize().toString());
        settings.put("namespace", config.namespace());
        settings.put("report-interval", config.reportInterval().toString());
        settings.put("kubernetes", kubernetesTarget);
        settings.put("aws.region", config.aws().region().orElse("(SDK default chain)"));
        settings.put("aws.endpoint-override",
                config.aws().endpointOverride().map(URI::toString).map(Redactions::url).orElse("(none: AWS)"));
        settings.put("aws.credentials", "SDK default chain");
        return settings;
    }
}
