package ai.treum.gitops.report;

import ai.treum.gitops.model.ConnectionStatus;
import ai.treum.gitops.port.ConnectionCheck;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Checks every peer on an interval and logs each one's status when it changes (and once at
 * start), so a lost connection shows in the log without a line per interval.
 */
@ApplicationScoped
public class ConnectionReporter {

    private static final Logger LOG = Logger.getLogger(ConnectionReporter.class);

    private final List<ConnectionCheck> checks;
    private final Map<String, ConnectionStatus> last = new HashMap<>();

    ConnectionReporter(Instance<ConnectionCheck> checks) {
        this.checks = checks.stream().toList();
    }

    @Scheduled(every = "${treum-gitops.report-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        for (ConnectionCheck check : checks) {
            ConnectionStatus status = check.check();
            if (!status.equals(last.put(check.peer(), status))) {
                if (status.up()) {
                    LOG.infof("peer %s is up: %s", check.peer(), status.detail());
                } else {
                    LOG.warnf("peer %s is down: %s", check.peer(), status.detail());
                }
            }
        }
    }
}
