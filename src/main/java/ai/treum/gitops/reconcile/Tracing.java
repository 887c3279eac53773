package ai.treum.gitops.reconcile;

import ai.treum.gitops.event.TraceParent;
import ai.treum.gitops.event.Trigger;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * The steps of a sync as spans (fetch, plan, apply) in the trace of what asked for it, and the
 * sync's environment, revision and trigger on every log line written while a step runs. With
 * tracing off (the default) the spans cost nothing and the log fields remain.
 */
@ApplicationScoped
public class Tracing {

    private final Tracer tracer;

    @Inject
    Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** No spans, log fields only: for code run outside the daemon. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop().getTracer("treum-gitops"));
    }

    /** A span named {@code name} under {@code parent} (a traceparent; a new trace when empty), current until closed. */
    public Step start(String name, String parent) {
        Span span = tracer.spanBuilder(name).setParent(TraceParent.context(parent)).startSpan();
        return new Step(span, span.makeCurrent());
    }

    /** One step; closing it ends its span and takes its fields off the thread's log lines. */
    public static final class Step implements AutoCloseable {

        private final Span span;
        private final Scope scope;
        private final List<String> fields = new ArrayList<>();

        private Step(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** Names the sync this step belongs to, on the span and on every log line until closed. */
        public Step of(String environment, Trigger trigger) {
            put("environment", environment);
            put("trigger", trigger.name().toLowerCase());
            return this;
        }

        /** The revision, once the step knows it. */
        public Step revision(String sha) {
            if (!sha.isEmpty()) {
                put("revision", sha);
            }
            return this;
        }

        /**
         * This step's span, for the events it sends: taken from the span itself, since what the
         * step calls (HTTP clients on other threads) may leave another context current.
         */
        public String traceParent() {
            return TraceParent.of(Context.root().with(span));
        }

        public void failed(Throwable cause) {
            span.recordException(cause);
            span.setStatus(StatusCode.ERROR, cause.getClass().getSimpleName());
        }

        private void put(String key, String value) {
            MDC.put(key, value);
            span.setAttribute("treum_gitops." + key, value);
            fields.add(key);
        }

        @Override
        public void close() {
            fields.forEach(MDC::remove);
            scope.close();
            span.end();
        }
    }
}
