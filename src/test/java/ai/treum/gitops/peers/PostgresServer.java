package ai.treum.gitops.peers;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (Debian's, installed by scripts/test-peers.sh) on a free loopback
 * port, in a scratch data folder, trusting local connections. PostgreSQL refuses to run as root,
 * so as root it runs as the {@code postgres} user the package creates.
 */
public final class PostgresServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private PostgresServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** In a scratch folder of its own under the system's temporary folder, which the server's user can reach. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = LocalPeers.get().postgresBin();
        Path dir = Files.createTempDirectory("treum-gitops-postgres");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(dir.resolve("data"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
        }
        run(root, dir.resolve("initdb.log"), bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(as(root, bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-k", data.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
        PostgresServer server = new PostgresServer(process, port, dir);
        server.awaitReady(bin);
        return server;
    }

    /** A URL for a database of this server, as DATABASE_URL holds it. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** Runs SQL with psql on a database; its output, unaligned and without headers. */
    public String psql(String database, String sql) throws IOException, InterruptedException {
        Process psql = new ProcessBuilder("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql, url(database))
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + output);
        }
        return output;
    }

    private void awaitReady(Path bin) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited: " + Files.readString(dir.resolve("postgres.log")));
            }
            Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).start();
            ready.getInputStream().readAllBytes();
            if (ready.waitFor() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("postgres not ready after 60 s: " + Files.readString(dir.resolve("postgres.log")));
    }

    private static List<String> as(boolean root, String... command) {
        List<String> line = new ArrayList<>(root ? List.of("runuser", "-u", "postgres", "--") : List.of());
        line.addAll(List.of(command));
        return line;
    }

    private static void run(boolean root, Path log, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(as(root, command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
