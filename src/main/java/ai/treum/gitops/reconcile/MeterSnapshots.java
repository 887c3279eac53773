package ai.treum.gitops.reconcile;

import ai.treum.gitops.metrics.EnvironmentSnapshots;
import ai.treum.gitops.model.ObjectDrift;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The environments' statuses and AWS checks as the meters read them. */
@ApplicationScoped
public class MeterSnapshots implements EnvironmentSnapshots {

    private final EnvironmentStatuses statuses;
    private final AwsStatuses aws;

    public MeterSnapshots(EnvironmentStatuses statuses, AwsStatuses aws) {
        this.statuses = statuses;
        this.aws = aws;
    }

    @Override
    public Map<String, SyncSnapshot> syncs() {
        Map<String, SyncSnapshot> all = new TreeMap<>();
        statuses.all().forEach((env, status) -> all.put(env, snapshot(status)));
        return all;
    }

    @Override
    public Optional<SyncSnapshot> sync(String environment) {
        return statuses.get(environment).map(MeterSnapshots::snapshot);
    }

    @Override
    public Map<String, Map<String, Integer>> awsDrift() {
        Map<String, Map<String, Integer>> all = new TreeMap<>();
        aws.all().forEach((env, check) -> {
            Map<String, Integer> byKind = new TreeMap<>();
            check.remaining().forEach(d -> byKind.merge(d.resource().kind(), 1, Integer::sum));
            all.put(env, byKind);
        });
        return all;
    }

    private static SyncSnapshot snapshot(EnvironmentStatuses.Status status) {
        Map<String, Integer> byKind = new TreeMap<>();
        for (ObjectDrift d : status.currentDrift()) {
            byKind.merge(d.key().kind(), 1, Integer::sum);
        }
        return new SyncSnapshot(status.last().revision(), status.last().outcome(), status.lastSuccess(),
                status.driftSince(), byKind);
    }
}
