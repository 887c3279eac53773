package ai.treum.gitops.api;

import ai.treum.gitops.core.revision.EnvironmentRevision;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.HistoryRecord;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.AwsWatcher;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.History;
import ai.treum.gitops.reconcile.PolicyGate;
import ai.treum.gitops.reconcile.RevisionReader;
import ai.treum.gitops.reconcile.RolloutGuard;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The status API: every environment's revision, sync status, health, drift and policy findings;
 * and syncs and rollbacks on request, by callers {@link ApiAccessFilter} has authorized.
 */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentsResource {

    static final int HISTORY_LIMIT_MAX = 1000;

    private final EnvironmentViews views;
    private final DesiredStateWatcher watcher;
    private final AwsWatcher awsWatcher;
    private final RolloutGuard rollouts;
    private final RevisionReader revisions;
    private final Emitter<SyncRequested> requests;
    private final ShardOwnership shards;
    private final PolicyGate policies;
    private final History history;

    EnvironmentsResource(EnvironmentViews views, DesiredStateWatcher watcher, AwsWatcher awsWatcher,
            RolloutGuard rollouts, RevisionReader revisions, @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests,
            ShardOwnership shards, PolicyGate policies, History history) {
        this.policies = policies;
        this.history = history;
        this.views = views;
        this.watcher = watcher;
        this.awsWatcher = awsWatcher;
        this.rollouts = rollouts;
        this.revisions = revisions;
        this.requests = requests;
        this.shards = shards;
    }

    @GET
    public List<EnvironmentView> list() {
        return views.list();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return views.detail(name).map(view -> Response.ok(view).build())
                .orElseGet(() -> unknown(name, "/api/v1/environments/" + name));
    }

    /** What the daemon did to the environment, newest first: syncs, rollbacks, AWS changes. */
    @GET
    @Path("{name}/history")
    public Response history(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("20") int limit) {
        String instance = "/api/v1/environments/" + name + "/history";
        if (!watcher.environments().contains(name)) {
            return unknown(name, instance);
        }
        if (limit < 1 || limit > HISTORY_LIMIT_MAX) {
            return new Problem("https://treum.ai/problems/bad-limit", "Bad limit", 400, "limit must be between 1 and "
                    + HISTORY_LIMIT_MAX, instance).toResponse();
        }
        History.Recent recent = history.recent(name, limit);
        return Response.ok(new HistoryView(name, recent.records(), recent.unreadable())).build();
    }

    /**
     * Queues a sync, which applies even with auto-sync off: the caller holds the verb {@code sync}
     * on this environment, checked by {@link ApiAccessFilter} before this runs.
     */
    @POST
    @Path("{name}/sync")
    public Response sync(@PathParam("name") String name, @Context SecurityContext caller) {
        if (!watcher.environments().contains(name)) {
            return unknown(name, "/api/v1/environments/" + name + "/sync");
        }
        String user = caller.getUserPrincipal().getName();
        requests.send(new SyncRequested(name, Trigger.API, user));
        awsWatcher.request(name);
        return Response.accepted(Map.of("environment", name, "queued", true, "user", user)).build();
    }

    /**
     * Rolls back now: Git's head gives way to {@code to} (the full SHA of a revision this
     * environment synced before), or to the last healthy revision, until Git moves on. The target's
     * objects must pass the policies at Git's head, as any sync's do.
     */
    @POST
    @Path("{name}/rollback")
    public Response rollback(@PathParam("name") String name, @QueryParam("to") String to,
            @Context SecurityContext caller) {
        String instance = "/api/v1/environments/" + name + "/rollback";
        Revision head = watcher.current().orElse(null);
        if (!watcher.environments().contains(name) || head == null) {
            return unknown(name, instance);
        }
        if (!shards.holds(name)) {
            String holder = shards.holder(name).map(ShardOwnership.Holder::identity).filter(h -> !h.isEmpty())
                    .orElse("no replica yet");
            return new Problem("https://treum.ai/problems/not-held-here", "Environment held by another replica", 409,
                    "environment " + name + " is synced by " + holder + "; ask it, since a rollback writes", instance)
                    .toResponse();
        }
        Optional<Revision> named = to == null ? Optional.empty() : syncedRevision(name, to);
        if (to != null && named.isEmpty()) {
            String offered = history.syncedRevisions(name, "").stream().limit(5).map(r -> new Revision(r.revision()).shortSha()
                    + " (synced " + r.finished() + ")").collect(Collectors.joining(", "));
            return new Problem("https://treum.ai/problems/bad-revision", "Not a revision " + name + " synced", 400,
                    "to must be a revision environment " + name + " synced before: its full SHA, or the start of one"
                            + " in its history (history --env " + name + "); " + (offered.isEmpty()
                            ? "its history has none" : "recently synced: " + offered), instance).toResponse();
        }
        Optional<Revision> target = to != null ? named : rollouts.healthy(name);
        if (target.isEmpty() || target.get().equals(head)) {
            return new Problem("https://treum.ai/problems/nothing-to-roll-back-to", "Nothing to roll back to", 409,
                    "environment " + name + " has no healthy revision other than Git's head; name one with ?to=",
                    instance).toResponse();
        }
        EnvironmentRevision read = revisions.read(name, target.get());
        List<String> refused = read.valid() ? policies.evaluate(head, target.get(), read).reasons() : read.errors();
        if (!refused.isEmpty()) {
            return new Problem("https://treum.ai/problems/revision-refused", "Revision refused", 422,
                    "revision " + target.get().shortSha() + " of " + name + " cannot be applied today: "
                            + String.join("; ", refused), instance).toResponse();
        }
        String user = caller.getUserPrincipal().getName();
        rollouts.rollBack(name, head, target.get(), user);
        return Response.accepted(Map.of("environment", name, "rolledBack", head.sha(), "to", target.get().sha(),
                "user", user)).build();
    }

    /** The revision {@code to} names: a full SHA the environment synced, or the start of one in its history. */
    private Optional<Revision> syncedRevision(String name, String to) {
        if (to.matches("[0-9a-f]{40}")) {
            return Optional.of(new Revision(to)).filter(r -> rollouts.syncedBefore(name, r));
        }
        if (!to.matches("[0-9a-f]{7,39}")) {
            return Optional.empty();
        }
        List<HistoryRecord> matching = history.syncedRevisions(name, to);
        return matching.size() == 1 ? Optional.of(new Revision(matching.get(0).revision()))
                .filter(r -> rollouts.syncedBefore(name, r)) : Optional.empty();
    }

    private Response unknown(String name, String instance) {
        return Problem.notFound("no environment " + name + " at the current revision; known: "
                + String.join(", ", new TreeSet<>(watcher.environments())), instance).toResponse();
    }
}
