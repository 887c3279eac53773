package ai.treum.gitops.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every setting of the daemon's own; Quarkus and the Kubernetes client keep theirs. */
@ConfigMapping(prefix = "treum-gitops")
public interface GitopsConfig {

    /** Folder holding one sub-folder per environment, each with an environment.yaml. */
    @WithDefault("environments")
    Path environmentsDir();

    /** How often the reachability of every peer is checked and changes are logged. */
    @WithDefault("60s")
    Duration reportInterval();

    Aws aws();

    interface Aws {
        /** Region of the AWS clients; absent means the SDK's default region chain. */
        Optional<String> region();

        /** Endpoint for every AWS service (moto_server in tests); absent means AWS itself. */
        Optional<URI> endpointOverride();
    }
}
