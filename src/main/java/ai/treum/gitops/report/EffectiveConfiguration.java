package ai.treum.gitops.report;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.redact.Redactions;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings the daemon runs with, as logged at start. Only addresses, paths and durations:
 * credentials are never settings of ours (they come from files, Secrets and the AWS chain), and
 * addresses pass through {@link Redactions#url} in case one carries a token.
 */
public final class EffectiveConfiguration {

    private EffectiveConfiguration() {
    }

    private static boolean configured(GitopsConfig.Webhooks.Provider provider) {
        return provider.secret().filter(s -> !s.isBlank()).isPresent() || provider.secretFile().isPresent();
    }

    public static Map<String, String> of(GitopsConfig config, String kubernetesTarget) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("git.url", config.git().url().map(Redactions::url).orElse("(none: nothing to sync)"));
        settings.put("git.branch", config.git().branch());
        settings.put("git.path", config.git().path());
        settings.put("git.poll-interval", config.git().pollInterval().toString());
        settings.put("git.auth", config.git().sshKeyFile().map(k -> "ssh key " + k)
                .or(() -> config.git().tokenFile().map(t -> "token from " + t)).orElse("none"));
        settings.put("data-dir", config.dataDir().toAbsolutePath().normalize().toString());
        settings.put("namespace", config.namespace());
        settings.put("boundary-grants", config.boundaryGrants().filter(g -> !g.isEmpty())
                .map(g -> String.join(", ", g)).orElse("none: every environment stays in its own scope"));
        settings.put("report-interval", config.reportInterval().toString());
        GitopsConfig.Sharding sharding = config.sharding();
        settings.put("sharding", sharding.enabled()
                ? sharding.shards() + " shard(s) by Lease as " + sharding.identity() + ", lease " + sharding.leaseDuration()
                : "off: this replica syncs every environment");
        List<String> webhooks = new ArrayList<>();
        if (configured(config.webhooks().github())) {
            webhooks.add("github");
        }
        if (configured(config.webhooks().gitlab())) {
            webhooks.add("gitlab");
        }
        if (configured(config.webhooks().generic())) {
            webhooks.add("generic");
        }
        settings.put("webhooks", webhooks.isEmpty() ? "none" : String.join(", ", webhooks));
        settings.put("policies", config.policies().threads() + " thread(s), at most "
                + config.policies().timeLimit() + " per revision, defaults from "
                + (config.policies().serverDefaults() ? "server-side dry runs" : "the OpenAPI documents"));
        settings.put("api", "writes need a token with the verb; reads "
                + (config.api().authenticateReads() ? "need a token too" : "are open"));
        settings.put("kubernetes", kubernetesTarget);
        settings.put("aws.region", config.aws().region().orElse("(SDK default chain)"));
        settings.put("aws.endpoint-override",
                config.aws().endpointOverride().map(URI::toString).map(Redactions::url).orElse("(none: AWS)"));
        settings.put("aws.credentials", "SDK default chain");
        return settings;
    }
}
