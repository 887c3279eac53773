package ai.treum.gitops.reconcile;

import ai.treum.gitops.model.ChangeEntry;
import java.util.List;

/** Hears each wave as it completes: for progress logs and events. */
@FunctionalInterface
public interface SyncObserver {

    SyncObserver NONE = (environment, wave, changes) -> {
    };

    void waveApplied(String environment, int wave, List<ChangeEntry> changes);
}
