package ai.treum.gitops.adapter.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How the daemon proves itself to the Git host: a token for https (read from a file on every
 * call, so a rotated Secret takes effect without a restart), or a private key for ssh, checked
 * against a known_hosts file. The token never leaves this class.
 */
public final class GitCredentials {

    private final String username;
    private final Optional<Path> tokenFile;
    private final Optional<SshdSessionFactory> ssh;

    public GitCredentials(String username, Optional<Path> tokenFile, Optional<Path> sshKeyFile,
            Optional<Path> knownHostsFile, Path sshHome) {
        this.username = username;
        this.tokenFile = tokenFile;
        this.ssh = sshKeyFile.map(key -> new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshHome.toFile())
                .setSshDirectory(sshHome.toFile())
                .setDefaultIdentities(dir -> List.of(key))
                .setDefaultKnownHostsFiles(dir -> knownHostsFile.map(List::of).orElse(List.of()))
                .build(null));
    }

    public static GitCredentials none(Path sshHome) {
        return new GitCredentials("git", Optional.empty(), Optional.empty(), Optional.empty(), sshHome);
    }

    <C extends TransportCommand<C, ?>> C applyTo(C command) {
        tokenFile.ifPresent(file -> command.setCredentialsProvider(
                new UsernamePasswordCredentialsProvider(username, readToken(file))));
        ssh.ifPresent(factory -> command.setTransportConfigCallback(transport -> {
            if (transport instanceof SshTransport sshTransport) {
                sshTransport.setSshSessionFactory(factory);
            }
        }));
        return command;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Git token file " + file, e);
        }
    }
}
