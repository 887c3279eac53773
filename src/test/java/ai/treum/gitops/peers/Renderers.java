package ai.treum.gitops.peers;

import ai.treum.gitops.adapter.render.RenderProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** The kustomize and helm that scripts/test-peers.sh built, found through the peers.env it writes. */
public final class Renderers {

    private Renderers() {
    }

    /** Where the two binaries are. Fails loudly, never skips, when they were not built. */
    public static Path bin() {
        String cache = System.getenv().getOrDefault("TREUM_PEERS_CACHE",
                System.getProperty("user.home") + "/.cache/treum-gitops");
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(Path.of(cache, "peers.env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no peers.env in " + cache + ": run scripts/test-peers.sh", e);
        }
        Path bin = Path.of(env.getProperty("RENDER_BIN", "missing"));
        if (!Files.isExecutable(bin.resolve("kustomize")) || !Files.isExecutable(bin.resolve("helm"))) {
            throw new IllegalStateException("kustomize and helm are not in " + bin + ": run scripts/test-peers.sh");
        }
        return bin;
    }

    public static RenderProcesses processes() {
        return processes(Duration.ofSeconds(30), 32L * 1024 * 1024);
    }

    public static RenderProcesses processes(Duration timeout, long maxOutputBytes) {
        Path bin = bin();
        return new RenderProcesses(bin.resolve("kustomize").toString(), bin.resolve("helm").toString(), timeout,
                maxOutputBytes);
    }
}
