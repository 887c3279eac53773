package ai.treum.gitops.bench;

import ai.treum.gitops.adapter.render.RenderProcesses;
import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Times what rendering adds to reading one environment, in one JVM: the first read of a
 * kustomize overlay (kustomize runs), a read of the same tree again (the rendering is kept by a
 * hash of its inputs) and a read of the same objects written as plain manifests, both in the
 * steady state of a running daemon. Run by
 * {@code scripts/benchmark.sh render}; not a test.
 *
 * <p>Arguments: the repository root, the kustomized environment's name, the plain one's name,
 * kustomize's path, helm's path. Prints one line: {@code objects first again plain} in milliseconds.
 */
public final class RenderBenchmark {

    private static final int RUNS = 10;

    private RenderBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        RenderProcesses renderer = new RenderProcesses(args[3], args[4], Duration.ofSeconds(60), 256L * 1024 * 1024);
        List<SourceFile> kustomized = files(root, args[1]);
        List<SourceFile> plain = files(root, args[2]);
        Supplier<EnvironmentRevision> readKustomized = () -> EnvironmentRevision.read(args[1],
                root.resolve("environments").resolve(args[1]).toString(), kustomized, Boundary.of("treum-gitops"), renderer::render);
        Supplier<EnvironmentRevision> readPlain = () -> EnvironmentRevision.read(args[2],
                root.resolve("environments").resolve(args[2]).toString(), plain, Boundary.of("treum-gitops"), renderer::render);

        long start = System.nanoTime();
        EnvironmentRevision first = readKustomized.get();
        double firstMs = (System.nanoTime() - start) / 1e6;
        if (!first.valid()) {
            throw new IllegalStateException("the kustomized environment does not load: " + first.errors());
        }
        double againMs = median(readKustomized);
        double plainMs = median(readPlain);
        if (readPlain.get().kubernetes().size() != first.kubernetes().size()) {
            throw new IllegalStateException("the two environments differ in objects");
        }
        System.out.printf("%d %.1f %.1f %.1f%n", first.kubernetes().size(), firstMs, againMs, plainMs);
    }

    /** The steady state of a running daemon: the median of {@value #RUNS} reads after as many to warm up. */
    private static double median(Supplier<EnvironmentRevision> read) {
        for (int i = 0; i < RUNS; i++) {
            read.get();
        }
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            read.get();
            runs.add((System.nanoTime() - start) / 1e6);
        }
        runs.sort(Double::compare);
        return runs.get(RUNS / 2);
    }

    /** The environment's files and the shared base's, as the daemon gets them from Git. */
    private static List<SourceFile> files(Path root, String environment) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (Path folder : List.of(root.resolve("environments").resolve(environment), root.resolve("environments/base"))) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    files.add(new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        return files;
    }
}
