package ai.treum.gitops.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.config.GitopsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("peer")
class EffectiveConfigurationTest {

    @Test
    void listsEverySettingAndNoCredential() {
        Map<String, String> settings = EffectiveConfiguration.of(
                config(Optional.of("eu-west-1"), Optional.of(URI.create("https://key:SECRET@aws.internal:4566/?token=SECRET"))),
                "https://127.0.0.1:6443 (client certificate)");

        assertThat(settings).containsOnlyKeys("git.url", "git.branch", "git.path", "git.poll-interval", "git.auth",
                "data-dir", "namespace", "boundary-grants", "report-interval", "sharding", "webhooks", "policies", "api", "kubernetes", "aws.region",
                "aws.endpoint-override", "aws.credentials");
        assertThat(settings.get("webhooks")).isEqualTo("github");
        assertThat(settings.get("boundary-grants")).isEqualTo("platform:RoleBinding/kube-system/metrics-server-auth-reader");
        assertThat(settings.get("api")).isEqualTo("writes need a token with the verb; reads need a token too");
        assertThat(settings.get("sharding")).isEqualTo("2 shard(s) by Lease as treum-gitops-7d9f-x2k4p, lease PT15S");
        assertThat(settings.get("git.url")).isEqualTo("https://git.treum.ai/platform/environments.git");
        assertThat(settings.get("git.auth")).isEqualTo("token from /var/run/secrets/git/token");
        assertThat(settings.get("aws.endpoint-override")).isEqualTo("https://aws.internal:4566/?token=***");
        assertThat(String.join(" ", settings.values()))
                .withFailMessage("credentials must never reach the start-up log")
                .doesNotContain("SECRET");
    }

    @Test
    void saysWhereDefaultsComeFrom() {
        Map<String, String> settings = EffectiveConfiguration.of(config(Optional.empty(), Optional.empty()), "k");

        assertThat(settings).containsEntry("aws.region", "(SDK default chain)")
                .containsEntry("aws.endpoint-override", "(none: AWS)")
                .containsEntry("policies", "2 thread(s), at most PT1M per revision, defaults from the OpenAPI documents");
    }

    private static GitopsConfig.Webhooks.Provider provider(Optional<String> secret) {
        return new GitopsConfig.Webhooks.Provider() {
            @Override
            public Optional<String> secret() {
                return secret;
            }

            @Override
            public Optional<Path> secretFile() {
                return Optional.empty();
            }
        };
    }

    private static GitopsConfig config(Optional<String> region, Optional<URI> endpoint) {
        return new GitopsConfig() {
            @Override
            public Path dataDir() {
                return Path.of("/tmp/treum-gitops");
            }

            @Override
            public String namespace() {
                return "treum-gitops";
            }

            @Override
            public Optional<List<String>> boundaryGrants() {
                return Optional.of(List.of("platform:RoleBinding/kube-system/metrics-server-auth-reader"));
            }

            @Override
            public Duration crdEstablishTimeout() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration healthInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int eventsPerSync() {
                return 50;
            }

            @Override
            public int historyKept() {
                return 100;
            }

            @Override
            public int applyConcurrency() {
                return 8;
            }

            @Override
            public Duration hookMaxWait() {
                return Duration.ofMinutes(30);
            }

            @Override
            public Api api() {
                return () -> true;
            }

            @Override
            public Policies policies() {
                return new Policies() {
                    @Override
                    public int threads() {
                        return 2;
                    }

                    @Override
                    public Duration timeLimit() {
                        return Duration.ofSeconds(60);
                    }

                    @Override
                    public boolean serverDefaults() {
                        return false;
                    }
                };
            }

            @Override
            public Webhooks webhooks() {
                return new Webhooks() {
                    @Override
                    public Provider github() {
                        return provider(Optional.of("SECRET"));
                    }

                    @Override
                    public Provider gitlab() {
                        return provider(Optional.empty());
                    }

                    @Override
                    public Provider generic() {
                        return provider(Optional.empty());
                    }

                    @Override
                    public int rememberedDeliveries() {
                        return 10;
                    }
                };
            }

            @Override
            public Git git() {
                return new Git() {
                    @Override
                    public Optional<String> url() {
                        return Optional.of("https://x-access-token:SECRET@git.treum.ai/platform/environments.git");
                    }

                    @Override
                    public String branch() {
                        return "main";
                    }

                    @Override
                    public String path() {
                        return "environments";
                    }

                    @Override
                    public String policiesPath() {
                        return "policies";
                    }

                    @Override
                    public long maxFileBytes() {
                        return 1L << 20;
                    }

                    @Override
                    public long maxFolderBytes() {
                        return 32L << 20;
                    }

                    @Override
                    public Duration pollInterval() {
                        return Duration.ofSeconds(60);
                    }

                    @Override
                    public Duration maxBackoff() {
                        return Duration.ofMinutes(5);
                    }

                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(30);
                    }

                    @Override
                    public Duration transferLimit() {
                        return Duration.ofMinutes(10);
                    }

                    @Override
                    public String username() {
                        return "x-access-token";
                    }

                    @Override
                    public Optional<Path> tokenFile() {
                        return Optional.of(Path.of("/var/run/secrets/git/token"));
                    }

                    @Override
                    public Optional<Path> sshKeyFile() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<Path> sshKnownHostsFile() {
                        return Optional.empty();
                    }
                };
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

            @Override
            public Notifications notifications() {
                return new Notifications() {
                    @Override
                    public java.nio.file.Path secretsDir() {
                        return java.nio.file.Path.of("/etc/treum-gitops/notifications");
                    }

                    @Override
                    public java.net.URI githubApiUrl() {
                        return java.net.URI.create("https://api.github.com");
                    }

                    @Override
                    public int attempts() {
                        return 5;
                    }

                    @Override
                    public Duration retryDelay() {
                        return Duration.ofSeconds(1);
                    }

                    @Override
                    public int perMinute() {
                        return 30;
                    }
                };
            }

            @Override
            public Backups backups() {
                return new Backups() {
                    @Override
                    public Duration interval() {
                        return Duration.ofMinutes(5);
                    }

                    @Override
                    public Duration exportInterval() {
                        return Duration.ofHours(1);
                    }

                    @Override
                    public Optional<java.util.List<String>> retentionAllowList() {
                        return Optional.empty();
                    }

                    @Override
                    public int minKeep() {
                        return 3;
                    }
                };
            }

            @Override
            public Sharding sharding() {
                return new Sharding() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public int shards() {
                        return 2;
                    }

                    @Override
                    public String identity() {
                        return "treum-gitops-7d9f-x2k4p";
                    }

                    @Override
                    public Duration leaseDuration() {
                        return Duration.ofSeconds(15);
                    }

                    @Override
                    public Duration renewDeadline() {
                        return Duration.ofSeconds(10);
                    }

                    @Override
                    public Duration retryPeriod() {
                        return Duration.ofSeconds(2);
                    }
                };
            }

            @Override
            public Render render() {
                return new Render() {
                    @Override
                    public String kustomize() {
                        return "kustomize";
                    }

                    @Override
                    public String helm() {
                        return "helm";
                    }

                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(30);
                    }

                    @Override
                    public long maxOutputBytes() {
                        return 32 * 1024 * 1024;
                    }
                };
            }

            @Override
            public Alerts alerts() {
                return new Alerts() {
                    @Override
                    public Optional<Path> rulesDir() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<URI> prometheusUrl() {
                        return Optional.empty();
                    }

                    @Override
                    public String promtool() {
                        return "promtool";
                    }

                    @Override
                    public Duration interval() {
                        return Duration.ofSeconds(30);
                    }
                };
            }
        };
    }
}
