package ai.treum.gitops.cli;

import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.revision.EnvironmentRevision;
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

    static EnvironmentRevision read(String name, Path folder, String daemonNamespace) throws IOException {
        return EnvironmentRevision.read(name, folder.toString(), files(folder), daemonNamespace);
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
