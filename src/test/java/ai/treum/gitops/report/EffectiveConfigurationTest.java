package ai.treum.gitops.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.config.GitopsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectiveConfigurationTest {

    @Test
    void listsEverySettingAndNoCredential() {
        Map<String, String> settings = EffectiveConfiguration.of(
                config(Optional.of("eu-west-1"), Optional.of(URI.create("https://key:SECRET@aws.internal:4566/?token=SECRET"))),
                "https://127.0.0.1:6443 (client certificate)");

        assertThat(settings).containsOnlyKeys("environments-dir", "report-interval", "kubernetes", "aws.region",
                "aws.endpoint-override", "aws.credentials");
        assertThat(settings.get("aws.endpoint-override")).isEqualTo("https://aws.internal:4566/?token=***");
        assertThat(String.join(" ", settings.values()))
                .withFailMessage("credentials must never reach the start-up log")
                .doesNotContain("SECRET");
    }

    @Test
    void saysWhereDefaultsComeFrom() {
        Map<String, String> settings = EffectiveConfiguration.of(config(Optional.empty(), Optional.empty()), "k");

        assertThat(settings).containsEntry("aws.region", "(SDK default chain)")
                .containsEntry("aws.endpoint-override", "(none: AWS)");
    }

    private static GitopsConfig config(Optional<String> region, Optional<URI> endpoint) {
        return new GitopsConfig() {
            @Override
            public Path environmentsDir() {
                return Path.of("environments");
            }

            @Override
            public Duration reportInterval() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Aws aws() {
                return new Aws() {
                    @Override
                    public Optional<String> region() {
                        return region;
                    }

                    @Override
                    public Optional<URI> endpointOverride() {
                        return endpoint;
                    }
                };
            }
        };
    }
}
