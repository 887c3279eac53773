package ai.treum.gitops.bench;

import ai.treum.gitops.core.load.Boundary;
import ai.treum.gitops.core.policy.BundledPolicies;
import ai.treum.gitops.core.policy.PolicyFinding;
import ai.treum.gitops.core.policy.PolicyReport;
import ai.treum.gitops.core.policy.PolicySet;
import ai.treum.gitops.core.policy.Subjects;
import ai.treum.gitops.core.revision.EnvironmentRevision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the policy engine on one environment folder, in one JVM: compiling policies/, the first
 * evaluation (a cold JVM, as in {@code validate}), and the steady state of a running daemon: the
 * median of the last 10 of 60 later evaluations, as the JIT is still compiling the interpreter
 * through the first few dozen. Run by {@code scripts/benchmark.sh policies}; not a test.
 *
 * <p>Arguments: the environment's folder, its name, the policies folder.
 */
public final class PolicyBenchmark {

    private static final int WARM_RUNS = 60;
    private static final int STEADY_RUNS = 10;

    private PolicyBenchmark() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        String name = args[1];
        long start = System.nanoTime();
        PolicySet.Compiled compiled = PolicySet.compile(BundledPolicies.read(Path.of(args[2])));
        long compileMs = (System.nanoTime() - start) / 1_000_000;
        if (!compiled.valid()) {
            throw new IllegalStateException("policies do not compile: " + compiled.errors());
        }
        EnvironmentRevision revision = EnvironmentRevision.read(name, folder.toString(), BundledPolicies.read(folder),
                Boundary.of("treum-gitops"));
        if (!revision.valid()) {
            throw new IllegalStateException("environment does not load: " + revision.errors());
        }
        List<Long> runs = new ArrayList<>();
        PolicyReport report = null;
        for (int i = 0; i <= WARM_RUNS; i++) {
            long t = System.nanoTime();
            report = compiled.policies().evaluate(name, Subjects.of(revision.all()));
            runs.add((System.nanoTime() - t) / 1_000_000);
        }
        List<Long> warm = runs.subList(runs.size() - STEADY_RUNS, runs.size()).stream().sorted().toList();
        long denied = report.denials().stream().map(PolicyFinding::key).distinct().count();
        System.out.printf("objects %d; policies %d; compile %d ms; first evaluation %d ms; steady state %d ms; denied %d%n",
                revision.all().size(), compiled.policies().size(), compileMs, runs.get(0), warm.get(warm.size() / 2), denied);
    }

}
