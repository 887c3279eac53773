package ai.treum.gitops.peers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The real peers of one test JVM: etcd, kube-apiserver and moto_server, started once by
 * {@code scripts/local-peers.sh} (the same script the run command uses) and stopped when the JVM
 * exits. Test classes share them and keep apart by namespace ({@link KubernetesPeer}) or by
 * resetting moto ({@link MotoPeer}).
 */
public final class LocalPeers {

    private static final Path SCRIPT = Path.of("scripts", "local-peers.sh");
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static LocalPeers started;

    private final Properties addresses;

    private LocalPeers(Properties addresses) {
        this.addresses = addresses;
    }

    /** The peers of this JVM, started on first use. Fails loudly, never skips, when they cannot start. */
    public static synchronized LocalPeers get() {
        if (started == null) {
            started = start();
        }
        return started;
    }

    public Path kubeconfig() {
        return Path.of(addresses.getProperty("kube.kubeconfig"));
    }

    public URI motoUrl() {
        return URI.create(addresses.getProperty("moto.url"));
    }

    /** Where PostgreSQL's server binaries (initdb, postgres, pg_isready) are; Debian keeps them off PATH. */
    public Path postgresBin() {
        return Path.of(addresses.getProperty("postgres.bin"));
    }

    /** A Python with boto3 (moto's virtualenv), for the backup scripts the CronJobs run. */
    public Path python() {
        return Path.of(addresses.getProperty("python"));
    }

    private static LocalPeers start() {
        return new LocalPeers(launch(Map.of()).addresses());
    }

    /**
     * Another cluster, for tests of several: its own etcd and kube-apiserver (no controllers, no
     * node), stopped by {@link Cluster#close()} or at the JVM's exit.
     */
    public static Cluster anotherCluster() {
        return launch(Map.of("PEERS_WORKLOADS", "0"));
    }

    /** A cluster started by the script, and the process that keeps it running. */
    public record Cluster(Process process, Properties addresses) implements AutoCloseable {

        public Path kubeconfig() {
            return Path.of(addresses.getProperty("kube.kubeconfig"));
        }

        public URI url() {
            return URI.create(addresses.getProperty("kube.url"));
        }

        @Override
        public void close() {
            stop(process);
        }
    }

    private static Cluster launch(Map<String, String> environment) {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " not found: tests run from the project root");
        }
        try {
            Path runDir = Files.createTempDirectory("treum-gitops-peers");
            Path log = runDir.resolve("local-peers.log");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString(), runDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "local-peers-stop"));
            awaitReady(process, runDir, log);
            Properties addresses = new Properties();
            try (InputStream in = Files.newInputStream(runDir.resolve("peers.properties"))) {
                addresses.load(in);
            }
            return new Cluster(process, addresses);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the local peers", e);
        }
    }

    private static void awaitReady(Process process, Path runDir, Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (!Files.exists(runDir.resolve("ready"))) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                stop(process);
                throw new IllegalStateException("local peers did not start (" + (process.isAlive()
                        ? "not ready after " + STARTUP : "exit " + process.exitValue()) + "):\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(process);
                throw new IllegalStateException("interrupted while starting the local peers", e);
            }
        }
    }

    /** SIGTERM lets the script stop its peers; SIGKILL only if it hangs. */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
