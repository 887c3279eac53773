package ai.treum.gitops.adapter.prometheus;

import ai.treum.gitops.core.alerts.RuleFile;
import ai.treum.gitops.port.RuleInstaller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rule files in a folder a Prometheus server reads ({@code rule_files: [<dir>/*.yaml]}; Prometheus
 * takes a wildcard in the last part of a path only): {@code <env>_<name>.yaml}, each written whole
 * (a temporary file moved into place), the environment's other files removed; then
 * {@code POST /-/reload}, and {@code GET /api/v1/rules} until every group is there from its file,
 * or a deadline passes, when the missing groups are the problems.
 */
public final class RuleDirectory implements RuleInstaller {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final URI prometheus;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    public RuleDirectory(Path dir, URI prometheus) {
        this.dir = dir;
        this.prometheus = prometheus;
    }

    @Override
    public Installed install(String environment, String namespace, List<RuleFile> files) {
        String target = dir + " read by " + prometheus;
        String prefix = environment + "_";
        try {
            write(prefix, files);
        } catch (IOException e) {
            return new Installed(target, List.of(), List.of("cannot write rule files to " + dir + ": " + e.getMessage()),
                    List.of());
        }
        try {
            HttpResponse<String> reload = http.send(HttpRequest.newBuilder(prometheus.resolve("/-/reload")).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (reload.statusCode() != 200) {
                return new Installed(target, List.of(), List.of("Prometheus refused the reload: HTTP " + reload.statusCode()
                        + " " + reload.body().strip()), List.of());
            }
            return confirm(target, prefix, files);
        } catch (IOException e) {
            return new Installed(target, List.of(), List.of("Prometheus at " + prometheus + " cannot be reached: " + e),
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Installed(target, List.of(), List.of("interrupted"), List.of());
        }
    }

    private void write(String prefix, List<RuleFile> files) throws IOException {
        Files.createDirectories(dir);
        Set<String> names = new HashSet<>();
        for (RuleFile file : files) {
            Path temporary = Files.writeString(dir.resolve("." + prefix + file.name() + ".tmp"), file.content());
            Files.move(temporary, dir.resolve(prefix + file.name()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            names.add(prefix + file.name());
        }
        try (Stream<Path> present = Files.list(dir)) {
            for (Path old : present.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.toString().endsWith(".yaml") && !names.contains(p.getFileName().toString())).toList()) {
                Files.delete(old);
            }
        }
    }

    /** Asks until every group of every file is loaded from that file, for up to the timeout. */
    private Installed confirm(String target, String prefix, List<RuleFile> files) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            Set<String> loaded = loadedGroups();
            List<String> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (RuleFile file : files) {
                for (String group : file.groups()) {
                    (loaded.contains(prefix + file.name() + "/" + group) ? present : missing).add(group);
                }
            }
            if (missing.isEmpty() || Instant.now().isAfter(deadline)) {
                return new Installed(target, present, missing.stream().map(g -> "group " + g + " is not loaded by Prometheus")
                        .toList(), List.of());
            }
            Thread.sleep(200);
        }
    }

    /** {@code file-name/group} of every group Prometheus loaded from the folder. */
    private Set<String> loadedGroups() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheus.resolve("/api/v1/rules"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        Set<String> groups = new HashSet<>();
        for (JsonNode group : json.readTree(response.body()).path("data").path("groups")) {
            Path file = Path.of(group.path("file").asText());
            if (dir.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize().getParent())) {
                groups.add(file.getFileName() + "/" + group.path("name").asText());
            }
        }
        return groups;
    }
}
