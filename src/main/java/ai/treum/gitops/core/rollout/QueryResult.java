package ai.treum.gitops.core.rollout;

/** What one PromQL query through Prometheus' HTTP API gave. */
public sealed interface QueryResult {

    /** A single number (the first sample of a vector, or a scalar). */
    record Value(double value) implements QueryResult {
    }

    /** An empty result or NaN: nothing to judge by. */
    record NoData() implements QueryResult {
    }

    /** Prometheus could not be asked, or refused the query. */
    record Unavailable(String reason) implements QueryResult {
    }
}
