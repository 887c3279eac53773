package ai.treum.gitops.cli;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.EnvironmentsTree;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.port.ManifestRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** An environment read from a folder on disk (a checkout), as the daemon reads one from a commit. */
final class EnvironmentFolder {

    private EnvironmentFolder() {
    }

    static EnvironmentRevision read(String name, Path folder, Boundary boundary, ManifestRenderer renderer)
            throws IOException {
        List<SourceFile> files = new ArrayList<>(files(folder));
        Path parent = folder.getParent();
        if (parent != null) {
            for (Path shared : shared(parent)) {
                files.addAll(files(shared));
            }
        }
        return EnvironmentRevision.read(name, folder.toString(), files, boundary, renderer::render);
    }

    /** The environments of a folder: its folders with an environment.yaml, by name. */
    static List<String> environments(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve(EnvironmentsTree.ENVIRONMENT_FILE)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The folders beside the environments that are none (shared bases, charts), which any
     * environment may render; hidden ones ({@code .git}) are not.
     */
    private static List<Path> shared(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !Files.exists(p.resolve(EnvironmentsTree.ENVIRONMENT_FILE))).sorted().toList();
        }
    }

    /** Every file under a folder, in path order, paths as the folder is given. */
    static List<SourceFile> files(Path folder) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return files;
    }
}
