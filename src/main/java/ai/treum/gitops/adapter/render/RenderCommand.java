package ai.treum.gitops.adapter.render;

import ai.treum.gitops.core.render.RenderSource;
import ai.treum.gitops.core.render.Rendering;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One run of kustomize or helm in a scratch folder: the command line, its environment, its limits. */
final class RenderCommand {

    /** Where a fetch would go: nowhere. Go's HTTP client honours these for every remote address. */
    private static final String NO_PROXY_TARGET = "http://127.0.0.1:9";
    private static final int MESSAGE_CHARACTERS = 600;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "render-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final String kustomize;
    private final String helm;
    private final Duration timeout;
    private final long maxOutputBytes;

    RenderCommand(String kustomize, String helm, Duration timeout, long maxOutputBytes) {
        this.kustomize = kustomize;
        this.helm = helm;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    Rendering run(RenderSource source, Path repository, Path home) throws IOException {
        List<String> arguments = new ArrayList<>();
        String tool;
        if (source instanceof RenderSource.Chart chart) {
            tool = "helm";
            arguments.addAll(List.of(executable(helm), "template", chart.release(), inside(repository, chart.chart()).toString(),
                    "--namespace", chart.namespace(), "--include-crds", "--skip-tests"));
            for (String values : chart.values()) {
                arguments.addAll(List.of("--values", inside(repository, values).toString()));
            }
        } else {
            tool = "kustomize";
            RenderSource.Kustomization kustomization = (RenderSource.Kustomization) source;
            arguments.addAll(List.of(executable(kustomize), "build", inside(repository, kustomization.root()).toString()));
        }
        Path stderr = home.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(arguments).directory(repository.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(Map.of("HOME", home.toString(), "PATH", home.resolve("no-programs").toString(),
                "HTTP_PROXY", NO_PROXY_TARGET, "HTTPS_PROXY", NO_PROXY_TARGET, "http_proxy", NO_PROXY_TARGET,
                "https_proxy", NO_PROXY_TARGET, "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(), "HELM_DATA_HOME", home.resolve("data").toString()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Rendering.failed(tool + " cannot be run (" + arguments.get(0) + "): " + e.getMessage());
        }
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            late.set(true);
            process.destroyForcibly();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!copy(process.getInputStream(), out)) {
                process.destroyForcibly();
                return Rendering.failed(tool + " printed more than " + maxOutputBytes
                        + " bytes (treum-gitops.render.max-output-bytes)");
            }
            int exit = process.waitFor();
            if (late.get()) {
                return Rendering.failed(tool + " did not finish within " + timeout + " (treum-gitops.render.timeout)");
            }
            if (exit != 0) {
                return Rendering.failed(tool + " failed: " + message(head(stderr), repository, home));
            }
            return Rendering.of(out.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Rendering.failed(tool + " was interrupted");
        } finally {
            deadline.cancel(false);
        }
    }

    /** Copies until the end of the output; false once it passes the cap. */
    private boolean copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            if (out.size() + (long) read > maxOutputBytes) {
                return false;
            }
            out.write(buffer, 0, read);
        }
        return true;
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
    }

    /** The renderer's complaint with scratch paths made repository paths again, on one line and short. */
    private static String message(String stderr, Path repository, Path home) {
        String text = stderr.replace(repository + File.separator, "").replace(repository.toString(), ".")
                .replace(home.toString(), "~").lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.startsWith("Error: ") ? l.substring("Error: ".length()) : l)
                .collect(Collectors.joining("; "));
        return text.length() > MESSAGE_CHARACTERS ? text.substring(0, MESSAGE_CHARACTERS) + "..." : text;
    }

    /** The program's path: as given when it has a folder, else found on the daemon's own PATH (the child has none). */
    private static String executable(String program) {
        if (program.contains(File.separator)) {
            return program;
        }
        String path = System.getenv("PATH");
        for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return program;
    }

    /** A repository path's place in the scratch copy; never outside it. */
    static Path inside(Path repository, String path) throws IOException {
        Path resolved = repository.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!resolved.startsWith(repository)) {
            throw new IOException(path + " is outside the repository");
        }
        return resolved;
    }

    static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch folder in the temp dir costs disk, not correctness
        }
    }
}
