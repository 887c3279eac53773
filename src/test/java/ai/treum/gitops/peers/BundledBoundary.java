package ai.treum.gitops.peers;

import ai.treum.gitops.core.load.Boundary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The boundary grants the daemon runs with ({@code treum-gitops.boundary-grants} in
 * application.properties), for tests that read the bundled environments as it would.
 */
public final class BundledBoundary {

    private static final String PROPERTY = "treum-gitops.boundary-grants";

    private BundledBoundary() {
    }

    /** The grants as the property's value. */
    public static String grants() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(PROPERTY, "");
    }

    public static Boundary boundary() {
        return Boundary.parse("treum-gitops", List.of(grants().split(",")));
    }
}
