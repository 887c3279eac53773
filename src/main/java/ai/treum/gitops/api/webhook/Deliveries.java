package ai.treum.gitops.api.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/** The delivery ids seen lately, so a replayed webhook (same id, same valid signature) is refused. */
final class Deliveries {

    private final Map<String, Boolean> seen;

    Deliveries(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is offered. */
    synchronized boolean firstTime(String id) {
        return seen.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
