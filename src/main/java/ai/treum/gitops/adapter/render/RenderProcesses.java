package ai.treum.gitops.adapter.render;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.render.RenderSource;
import ai.treum.gitops.core.render.Rendering;
import ai.treum.gitops.port.ManifestRenderer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the pinned kustomize and helm on a scratch copy of the files a rendering may read. The
 * child gets an empty environment (no PATH, so kustomize cannot run git; proxies that lead
 * nowhere, so nothing is fetched), a time limit and a cap on its output. A rendering depends on
 * its inputs alone, so successful ones are kept by a hash of them: an unchanged tree is not
 * rendered twice.
 */
@ApplicationScoped
public class RenderProcesses implements ManifestRenderer {

    private static final int KEPT = 32;

    private final RenderCommand command;
    private final Map<String, Rendering> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rendering> eldest) {
            return size() > KEPT;
        }
    };

    @Inject
    RenderProcesses(GitopsConfig config) {
        this(config.render().kustomize(), config.render().helm(), config.render().timeout(),
                config.render().maxOutputBytes());
    }

    /** @param kustomize kustomize's path, or its name on the PATH; likewise {@code helm} */
    public RenderProcesses(String kustomize, String helm, Duration timeout, long maxOutputBytes) {
        this.command = new RenderCommand(kustomize, helm, timeout, maxOutputBytes);
    }

    @Override
    public Rendering render(RenderSource source) {
        String key = key(source);
        synchronized (kept) {
            Rendering known = kept.get(key);
            if (known != null) {
                return known;
            }
        }
        Rendering rendering = renderAfresh(source);
        if (!rendering.failed()) {
            synchronized (kept) {
                kept.put(key, rendering);
            }
        }
        return rendering;
    }

    private Rendering renderAfresh(RenderSource source) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("treum-gitops-render");
            Path repository = Files.createDirectory(scratch.resolve("repository"));
            Path home = Files.createDirectory(scratch.resolve("home"));
            for (SourceFile file : source.inputs()) {
                if (file.refused() != null) {
                    return Rendering.failed(file.path() + " was not read (" + file.refused().rule() + ": "
                            + file.refused().reason() + ")");
                }
                Path target = RenderCommand.inside(repository, file.path());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            }
            return command.run(source, repository, home);
        } catch (IOException e) {
            return Rendering.failed("the scratch folder for rendering could not be written: " + e.getMessage());
        } finally {
            RenderCommand.delete(scratch);
        }
    }

    /** A hash of everything a rendering depends on. */
    private static String key(RenderSource source) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        List<String> parts = new ArrayList<>();
        if (source instanceof RenderSource.Kustomization kustomization) {
            parts.add("kustomize");
            parts.add(kustomization.root());
        } else if (source instanceof RenderSource.Chart chart) {
            parts.add("helm");
            parts.add(chart.chart());
            parts.add(chart.release());
            parts.add(chart.namespace());
            parts.addAll(chart.values());
        }
        source.inputs().stream().sorted(Comparator.comparing(SourceFile::path)).forEach(f -> {
            parts.add(f.path());
            parts.add(f.content());
        });
        parts.forEach(part -> {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        });
        return HexFormat.of().formatHex(digest.digest());
    }
}
