package ai.treum.gitops.api;

import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.reconcile.AwsWatcher;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.EnvironmentRevision;
import ai.treum.gitops.reconcile.PolicyGate;
import ai.treum.gitops.reconcile.RevisionReader;
import ai.treum.gitops.reconcile.RolloutGuard;
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
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The status API: every environment's revision, sync status, health, drift and policy findings;
 * and syncs and rollbacks on request, by callers {@link ApiAccessFilter} has authorized.
 */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentsResource {

    private final EnvironmentViews views;
    private final DesiredStateWatcher watcher;
    private final AwsWatcher awsWatcher;
    private final RolloutGuard rollouts;
    private final RevisionReader revisions;
    private final Emitter<SyncRequested> requests;
    private final ShardOwnership shards;
    private final PolicyGate policies;

    EnvironmentsResource(EnvironmentViews views, DesiredStateWatcher watcher, AwsWatcher awsWatcher,
            RolloutGuard rollouts, RevisionReader revisions, @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests,
            ShardOwnership shards, PolicyGate policies) {
        this.policies = policies;
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
        if (to != null && (!to.matches("[0-9a-f]{40}") || !rollouts.syncedBefore(name, new Revision(to)))) {
            return new Problem("https://treum.ai/problems/bad-revision", "Not a revision " + name + " synced", 400,
                    "to must be the full SHA of a revision environment " + name + " synced before", instance)
                    .toResponse();
        }
        Optional<Revision> target = to != null ? Optional.of(new Revision(to)) : rollouts.healthy(name);
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

    private Response unknown(String name, String instance) {
        return Problem.notFound("no environment " + name + " at the current revision; known: "
                + String.join(", ", new TreeSet<>(watcher.environments())), instance).toResponse();
    }
}
