package ai.treum.gitops.peers;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code scripts/seed-aws.py}, which the local run seeds moto with, run for a test. */
public final class SeedAws {

    private SeedAws() {
    }

    /**
     * Creates in moto what {@code environments}' {@code aws/} folders declare.
     *
     * @param kinds nothing for every resource, or the one kind to create
     */
    public static void seed(URI moto, Path environments, String... kinds) {
        List<String> command = new ArrayList<>(List.of(LocalPeers.get().python().toString(), "scripts/seed-aws.py",
                moto.toString(), environments.toString()));
        command.addAll(List.of(kinds));
        try {
            Process seed = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(seed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (seed.waitFor() != 0) {
                throw new IllegalStateException("scripts/seed-aws.py failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("scripts/seed-aws.py could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding moto", e);
        }
    }
}
