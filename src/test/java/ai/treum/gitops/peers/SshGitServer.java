package ai.treum.gitops.peers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Git host over real ssh: Debian's OpenSSH sshd on a free loopback port, accepting one client
 * key, serving the bare repositories under a folder through git-upload-pack. It needs root (sshd
 * switches users) and /usr/sbin/sshd, which scripts/test-peers.sh installs.
 */
public final class SshGitServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private SshGitServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static SshGitServer start(Path dir) throws IOException, InterruptedException {
        Path sshd = Path.of("/usr/sbin/sshd");
        if (!Files.isExecutable(sshd)) {
            throw new IllegalStateException("/usr/sbin/sshd is missing: run scripts/test-peers.sh");
        }
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("client_key"));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "") + "\n");
        Process process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        SshGitServer server = new SshGitServer(process, port, dir);
        server.awaitListening();
        return server;
    }

    /** The clone URL of a bare repository on this host, by its absolute path. */
    public URI url(Path bareRepository) {
        return URI.create("ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + bareRepository.toAbsolutePath());
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    /** A known_hosts file that trusts exactly this server's host key. */
    public Path knownHosts() throws IOException {
        String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
        String[] parts = hostKey.split(" ");
        return Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sshd not listening after 20 s: " + Files.readString(dir.resolve("sshd.log")));
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", key.toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
