package ai.treum.gitops.adapter.notify;

import ai.treum.gitops.config.GitopsConfig;
import ai.treum.gitops.metrics.GitopsMetrics;
import ai.treum.gitops.port.Notifier;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/** CDI wiring of notification delivery from the daemon's configuration; outcomes go to the metrics. */
public class NotifyProducers {

    @Produces
    @Singleton
    @Typed({Notifier.class, HttpNotifier.class})
    HttpNotifier notifier(GitopsConfig config, GitopsMetrics metrics) {
        GitopsConfig.Notifications settings = config.notifications();
        return new HttpNotifier(new HttpNotifier.Settings(settings.secretsDir(), settings.githubApiUrl(),
                settings.attempts(), settings.retryDelay(), settings.perMinute()), metrics::notification);
    }

    void close(@Disposes HttpNotifier notifier) {
        notifier.close();
    }
}
