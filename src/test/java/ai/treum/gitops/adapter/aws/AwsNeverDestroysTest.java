package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.aws.AwsCheck;
import ai.treum.gitops.model.AwsResource;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.EnvironmentSpec.AwsPolicy;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.peers.LocalPeers;
import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.reconcile.AwsReconcilerAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The AWS promise, whatever Git says: nothing is deleted, shrunk or loosened by the daemon. Every
 * AWS SDK call the code can make is listed from the source and none deletes or removes anything
 * but expired backup dumps; and in enforce mode against moto_server, a Git that asks for smaller
 * node groups, less storage, no backups, no versioning and an open bucket changes nothing.
 */
@Tag("peer")
class AwsNeverDestroysTest {

    private static final String REGION = "us-east-1";
    /** A call on an SDK client: {@code rds.modifyDBInstance(}, {@code .deleteObjects(}. */
    private static final Pattern SDK_CALL = Pattern.compile("\\.((?:delete|remove|terminate|purge|destroy)[A-Z]\\w*)\\(");

    @Test
    void theOnlyDeletingCallIsBackupRetentionsOwn() throws IOException {
        Map<String, TreeSet<String>> deleting = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                if (!source.contains("software.amazon.awssdk")) {
                    continue;
                }
                Matcher call = SDK_CALL.matcher(source);
                while (call.find()) {
                    deleting.computeIfAbsent(file.getFileName().toString(), f -> new TreeSet<>()).add(call.group(1));
                }
            }
        }
        assertThat(deleting).as("AWS calls that delete or remove, by file").isEqualTo(Map.of("S3Backups.java",
                new TreeSet<>(List.of("deleteObjects"))));
    }

    @Test
    void aGitThatAsksToShrinkOrLoosenChangesNothingInEnforceMode() throws Exception {
        URI moto = LocalPeers.get().motoUrl();
        MotoPeer.reset(moto);
        List<String> calls = new CopyOnWriteArrayList<>();
        try (AwsClients clients = new AwsClients(Optional.of(REGION), Optional.of(moto),
                (service, operation, result) -> calls.add(service + ":" + operation + ":" + result))) {
            List<AwsResource> live = AwsStateReaderTest.production();
            MotoResources.create(moto, REGION, live);
            calls.clear();
            List<AwsResource> asked = live.stream().map(r -> switch (r.kind()) {
                case "EksNodegroup" -> with(r, Map.of("minSize", 0L, "desiredSize", 1L, "maxSize", 1L));
                case "RdsInstance" -> with(r, Map.of("allocatedStorage", 20L, "backupRetentionPeriod", 0L));
                case "S3Bucket" -> with(r, Map.of("versioning", false, "lifecycleRules", List.of(),
                        "publicAccessBlock", Map.of("blockPublicAcls", false, "ignorePublicAcls", false,
                                "blockPublicPolicy", false, "restrictPublicBuckets", false)));
                default -> r;
            }).toList();

            EnvironmentSpec environment = new EnvironmentSpec("production", "treum-production",
                    EnvironmentSpec.SyncPolicy.defaults(), new AwsPolicy(REGION, true, Duration.ofMinutes(5), true));
            AwsCheck check = AwsReconcilerAccess.reconciler(new AwsStateReader(clients), new AwsChanges(clients), (env, e) -> { })
                    .check(environment, new Revision("0".repeat(40)), asked, true);

            assertThat(check.changes()).as("nothing shrunk or loosened").isEmpty();
            assertThat(check.remaining()).hasSize(11).allSatisfy(d -> assertThat(d.toString()).contains("manual action needed"));
            assertThat(calls).as("only reads").isNotEmpty().allMatch(c -> c.contains(":Describe") || c.contains(":List")
                    || c.contains(":Get"));
            // read again: AWS is as it was
            AwsCheck again = AwsReconcilerAccess.reconciler(new AwsStateReader(clients), new AwsChanges(clients), (env, e) -> { })
                    .check(environment, new Revision("0".repeat(40)), live, false);
            assertThat(again.drift()).isEmpty();
        }
    }

    private static AwsResource with(AwsResource resource, Map<String, Object> asked) {
        Map<String, Object> fields = new LinkedHashMap<>(resource.fields());
        fields.putAll(asked);
        return new AwsResource(resource.kind(), resource.name(), resource.id(), fields, resource.source());
    }
}
