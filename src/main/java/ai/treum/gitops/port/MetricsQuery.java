package ai.treum.gitops.port;

import ai.treum.gitops.core.rollout.QueryResult;

/** Instant PromQL queries against a Prometheus server. */
public interface MetricsQuery {

    /** Never throws: an unreachable server or a refused query is a result too. */
    QueryResult query(String prometheusUrl, String promql);
}
