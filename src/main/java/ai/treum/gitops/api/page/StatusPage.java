package ai.treum.gitops.api.page;

import ai.treum.gitops.api.EnvironmentView;
import ai.treum.gitops.api.EnvironmentViews;
import ai.treum.gitops.model.EnvironmentSpec;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.EventLog.RecordedEvent;
import ai.treum.gitops.port.EventLog;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.History;
import ai.treum.gitops.reconcile.RevisionReader;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The status page: plain server-rendered HTML that reloads itself every few seconds, so it reads
 * the same with JavaScript off. It shows what the status API shows, plus the Events the daemon
 * recorded in each environment's namespace.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class StatusPage {

    static final int REFRESH_SECONDS = 10;
    private static final int EVENTS = 25;
    private static final int HISTORY = 15;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<EnvironmentView> environments, Instant now, int refresh);

        static native TemplateInstance environment(EnvironmentView environment, List<RecordedEvent> events,
                History.Recent history, Instant now, int refresh);

        static native TemplateInstance unknown(String name, List<String> known);
    }

    private final EnvironmentViews views;
    private final DesiredStateWatcher watcher;
    private final RevisionReader revisions;
    private final EventLog events;
    private final History history;

    StatusPage(EnvironmentViews views, DesiredStateWatcher watcher, RevisionReader revisions, EventLog events,
            History history) {
        this.history = history;
        this.views = views;
        this.watcher = watcher;
        this.revisions = revisions;
        this.events = events;
    }

    @GET
    public TemplateInstance index() {
        return Templates.index(views.list(), now(), REFRESH_SECONDS);
    }

    @GET
    @Path("environments/{name}")
    public Response environment(@PathParam("name") String name) {
        Optional<EnvironmentView> view = views.detail(name);
        if (view.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND)
                    .entity(Templates.unknown(name, List.copyOf(views.names()))).build();
        }
        List<RecordedEvent> recent = namespace(name).map(ns -> events.recent(name, ns, EVENTS)).orElse(List.of());
        return Response.ok(Templates.environment(view.get(), recent, history.recent(name, HISTORY), now(),
                REFRESH_SECONDS)).build();
    }

    /** The environment's namespace at Git's head, where its objects and their Events are. */
    private Optional<String> namespace(String name) {
        return watcher.current().map(head -> revisions.read(name, head)).filter(read -> read.valid())
                .map(read -> read.environment()).map(EnvironmentSpec::namespace);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Formatting the templates use. */
    @TemplateExtension
    static class Formats {

        /** The first 12 characters of a commit SHA, or a dash. */
        static String shortSha(String sha) {
            return sha == null || sha.isEmpty() ? "–" : new Revision(sha).shortSha();
        }

        static String text(Instant instant) {
            return instant == null ? "–" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
        }

        /** Counts by action, e.g. {@code configured 2, created 1}. */
        static String summary(Map<String, Integer> counts) {
            return counts.isEmpty() ? "–" : new TreeMap<>(counts).entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }
}
