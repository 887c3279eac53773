package ai.treum.gitops.event;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A span carried from one handler to the next as a W3C {@code traceparent} value, so a sync's
 * steps join the trace of what asked for it (a webhook's request) even across channels and
 * replicas. Empty when there is no trace, as with tracing off.
 */
public final class TraceParent {

    private static final String HEADER = "traceparent";
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParent() {
    }

    /** The span current on this thread; empty when none is. */
    public static String current() {
        return of(Context.current());
    }

    /** The span of {@code context}; empty when it has none. */
    public static String of(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.getOrDefault(HEADER, "");
    }

    /** The context to start a child of {@code parent} in; the root one when it is empty. */
    public static Context context(String parent) {
        return parent.isEmpty() ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, parent), GETTER);
    }
}
