package ai.treum.gitops.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.load.SourceFile;
import ai.treum.gitops.core.render.Rendering;
import ai.treum.gitops.model.Revision;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevisionReaderTest {

    private static final Revision HEAD = new Revision("a".repeat(40));
    private static final Revision HEALTHY = new Revision("b".repeat(40));
    private static final Revision OLDER = new Revision("c".repeat(40));

    /** A repository that counts its reads and holds the first one until told, as a slow checkout would. */
    private static final class CountingSource extends ScriptedSource {
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch firstReadStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        CountingSource() {
            changed = Set.of("production");
        }

        @Override
        public List<SourceFile> files(Revision revision, String environment) {
            if (reads.incrementAndGet() == 1) {
                firstReadStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.files(revision, environment);
        }
    }

    private final CountingSource source = new CountingSource();
    private final RevisionReader reader = new RevisionReader(source, s -> Rendering.failed("no renderer in this test"), "environments", Boundary.of("treum-gitops"));

    @Test
    void aReadInProgressIsWaitedForNotRepeated() throws Exception {
        var first = CompletableFuture.supplyAsync(() -> reader.read("production", HEAD));
        assertThat(source.firstReadStarted.await(10, TimeUnit.SECONDS)).isTrue();
        var second = CompletableFuture.supplyAsync(() -> reader.read("production", HEAD));
        source.release.countDown();

        assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
        assertThat(first.get().valid()).isTrue();
        assertThat(source.reads).hasValue(1);
    }

    @Test
    void keepsTheLastTwoRevisionsOfAnEnvironment() {
        source.release.countDown();
        var head = reader.read("production", HEAD);
        var healthy = reader.read("production", HEALTHY);

        assertThat(reader.read("production", HEAD)).isSameAs(head);
        assertThat(reader.read("production", HEALTHY)).isSameAs(healthy);
        assertThat(source.reads).hasValue(2);

        reader.read("production", OLDER);
        reader.read("production", HEAD);
        assertThat(source.reads).withFailMessage("a third revision pushes out the oldest read").hasValue(4);
    }

    @Test
    void aCommitThatLeavesTheEnvironmentAsItWasReusesTheRead() {
        source.release.countDown();
        var head = reader.read("production", HEAD);
        source.changed = Set.of("staging");

        assertThat(reader.read("production", HEALTHY)).isSameAs(head);
        assertThat(source.reads).hasValue(1);
    }
}
