package ai.treum.gitops.api;

import ai.treum.gitops.model.HistoryRecord;
import java.util.List;

/**
 * An environment's history as the API shows it, newest first.
 *
 * @param unreadable why the stored history could not be read (its cluster is down): then
 *                   {@code records} holds only those not stored yet; null when it was read
 */
public record HistoryView(String environment, List<HistoryRecord> records, String unreadable) {
}
