package ai.treum.gitops.peers;

import java.util.Locale;

/** The metrics the deployment guide's application exports, as one scrape of it reads. */
public final class GuideMetrics {

    private GuideMetrics() {
    }

    /**
     * @param ok      requests answered 200 so far
     * @param failed  requests answered 500 so far
     * @param seconds how long each request took
     */
    public static String of(String namespace, long ok, long failed, double seconds) {
        long total = ok + failed;
        return String.format(Locale.ROOT, """
                # TYPE api_requests_total counter
                api_requests_total{%1$s,status="200"} %2$d
                api_requests_total{%1$s,status="500"} %3$d
                # TYPE api_request_duration_seconds histogram
                api_request_duration_seconds_bucket{%1$s,le="0.1"} %4$d
                api_request_duration_seconds_bucket{%1$s,le="1"} %5$d
                api_request_duration_seconds_bucket{%1$s,le="5"} %6$d
                api_request_duration_seconds_bucket{%1$s,le="+Inf"} %7$d
                api_request_duration_seconds_sum{%1$s} %8$f
                api_request_duration_seconds_count{%1$s} %7$d
                """, "namespace=\"" + namespace + "\"", ok, failed, seconds <= 0.1 ? total : 0,
                seconds <= 1 ? total : 0, seconds <= 5 ? total : 0, total, seconds * total);
    }
}
