package ai.treum.gitops.reconcile;

import ai.treum.gitops.core.aws.AwsCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The latest AWS check of every environment, as the daemon saw it since it started. */
@ApplicationScoped
public class AwsStatuses implements PerEnvironmentState {

    private final Map<String, AwsCheck> checks = new ConcurrentHashMap<>();

    /** Records a check and returns the one before it. */
    public Optional<AwsCheck> record(String environment, AwsCheck check) {
        return Optional.ofNullable(checks.put(environment, check));
    }

    public Optional<AwsCheck> get(String environment) {
        return Optional.ofNullable(checks.get(environment));
    }

    public Map<String, AwsCheck> all() {
        return new TreeMap<>(checks);
    }

    @Override
    public void retain(Set<String> environments) {
        checks.keySet().retainAll(environments);
    }
}
