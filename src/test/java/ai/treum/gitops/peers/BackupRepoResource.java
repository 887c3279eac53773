package ai.treum.gitops.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desired state for backup verification tests: environment {@code backed-up} (namespace
 * {@code backup-verify}) with a ConfigMap and a BackupPolicy {@code postgres} whose dumps go to
 * {@code s3://}{@value #BUCKET}{@code /postgres/}, and a Secret; backups are checked and the
 * state exported every second.
 */
public class BackupRepoResource extends FixtureRepoResource {

    public static final String BUCKET = "treum-backed-up-backups";
    /** A password in a Secret of the environment, which no export may hold. */
    public static final String SECRET = "hunter2-b7f1";

    public BackupRepoResource() {
        super(null);
    }

    @Override
    protected void files(Path tree) throws IOException {
        Path dir = FixtureRepo.environment(tree, "backed-up", "backup-verify", "sync: {auto: true, interval: 10m}");
        Files.writeString(dir.resolve("settings.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: backup-verify
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  LEVEL: info
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: database
                stringData:
                  url: postgresql://treum:%s@db.internal/treum
                """.formatted(SECRET));
        Path backups = Files.createDirectories(dir.getParent().resolve("backups"));
        Files.writeString(backups.resolve("postgres.yaml"), """
                apiVersion: gitops.treum.ai/v1alpha1
                kind: BackupPolicy
                metadata:
                  name: postgres
                spec:
                  database: treum-backed-up
                  schedule: "0 2 * * *"
                  destination: s3://%s/postgres/
                  retention: 30d
                  maxAge: 26h
                  databaseSecret: {name: database, key: url}
                  restoreDrill: {schedule: "0 4 * * 0", databaseSecret: {name: drill, key: url}}
                """.formatted(BUCKET));
    }

    @Override
    protected Map<String, String> settings(Path work) {
        return Map.of("treum-gitops.git.poll-interval", "1s", "treum-gitops.backups.interval", "1s",
                "treum-gitops.backups.export-interval", "1s");
    }
}
