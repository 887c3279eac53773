package ai.treum.gitops.cli;

import ai.treum.gitops.adapter.kubernetes.ClientToken;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a command reaches a running daemon: where it is, and the token it is asked with. */
public class DaemonOptions {

    @Option(names = "--url", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The daemon (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--token-file", paramLabel = "FILE", description = {"A file holding the bearer token to send "
            + "(default: the kubeconfig's token, else the pod's service account token).",
            "The daemon asks the API server who it is, and whether they may sync, roll back or read."})
    Path tokenFile;

    /** The token to send; empty when none is given and none is found. */
    Optional<String> token() throws IOException {
        if (tokenFile != null) {
            return Optional.of(Files.readString(tokenFile).trim());
        }
        return ClientToken.find();
    }
}
