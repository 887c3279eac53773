package ai.treum.gitops.api;

import ai.treum.gitops.port.ShardOwnership;
import ai.treum.gitops.api.EnvironmentView.ShardView;
import ai.treum.gitops.event.Channels;
import ai.treum.gitops.event.SyncRequested;
import ai.treum.gitops.event.Trigger;
import ai.treum.gitops.model.Revision;
import ai.treum.gitops.reconcile.AlertRuleWatcher;
import ai.treum.gitops.reconcile.AwsStatuses;
import ai.treum.gitops.reconcile.BackupWatcher;
import ai.treum.gitops.reconcile.AwsWatcher;
import ai.treum.gitops.reconcile.DesiredStateWatcher;
import ai.treum.gitops.reconcile.EnvironmentStatuses;
import ai.treum.gitops.reconcile.HealthMonitor;
import ai.treum.gitops.reconcile.PolicyGate;
import ai.treum.gitops.reconcile.RevisionReader;
import ai.treum.gitops.reconcile.RolloutGuard;
import ai.treum.gitops.reconcile.RolloutSteps;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The status API: every environment's revision, sync status, health, drift and policy findings; and syncs on request. */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentsResource {

    private final DesiredStateWatcher watcher;
    private final EnvironmentStatuses statuses;
    private final HealthMonitor health;
    private final PolicyGate policies;
    private final AwsStatuses aws;
    private final AwsWatcher awsWatcher;
    private final RolloutGuard rollouts;
    private final RolloutSteps steps;
    private final AlertRuleWatcher alerts;
    private final BackupWatcher backups;
    private final RevisionReader revisions;
    private final Emitter<SyncRequested> requests;
    private final ShardOwnership shards;

    EnvironmentsResource(DesiredStateWatcher watcher, EnvironmentStatuses statuses, HealthMonitor health,
            PolicyGate policies, AwsStatuses aws, AwsWatcher awsWatcher, RolloutGuard rollouts, RolloutSteps steps,
            AlertRuleWatcher alerts, BackupWatcher backups, RevisionReader revisions, @Channel(Channels.SYNC_REQUESTS) Emitter<SyncRequested> requests,
            ShardOwnership shards) {
        this.watcher = watcher;
        this.shards = shards;
        this.statuses = statuses;
        this.health = health;
        this.policies = policies;
        this.aws = aws;
        this.awsWatcher = awsWatcher;
        this.rollouts = rollouts;
        this.steps = steps;
        this.alerts = alerts;
        this.backups = backups;
        this.revisions = revisions;
        this.requests = requests;
    }

    @GET
    public List<EnvironmentView> list() {
        TreeSet<String> names = new TreeSet<>(watcher.environments());
        names.addAll(statuses.all().keySet());
        return names.stream().map(name -> EnvironmentView.summary(name, statuses.get(name).orElse(null),
                health.all().get(name), ShardView.of(shards.holder(name)))).toList();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        if (!known(name)) {
            return unknown(name, "/api/v1/environments/" + name);
        }
        return Response.ok(EnvironmentView.detail(name, statuses.get(name).orElse(null), health.all().get(name),
                policies.latest(name).orElse(null), aws.get(name).orElse(null), rollouts.marks(name),
                steps.status(name).orElse(null), alerts.status(name).orElse(null), backups.statuses(name),
                ShardView.of(shards.holder(name)))).build();
    }

    @POST
    @Path("{name}/sync")
    public Response sync(@PathParam("name") String name) {
        if (!watcher.environments().contains(name)) {
            return unknown(name, "/api/v1/environments/" + name + "/sync");
        }
        requests.send(new SyncRequested(name, Trigger.API));
        awsWatcher.request(name);
        return Response.accepted(Map.of("environment", name, "queued", true)).build();
    }

    /**
     * Rolls back now: Git's head gives way to {@code to} (a full commit SHA), or to the last healthy
     * revision, until Git moves on.
     */
    @POST
    @Path("{name}/rollback")
    public Response rollback(@PathParam("name") String name, @QueryParam("to") String to) {
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
        Optional<Revision> target = Optional.empty();
        if (to != null) {
            if (!to.matches("[0-9a-f]{40}") || !revisions.read(name, new Revision(to)).valid()) {
                return new Problem("https://treum.ai/problems/bad-revision", "Not a revision of " + name, 400,
                        "to must be the full SHA of a commit where environment " + name + " loads", instance).toResponse();
            }
            target = Optional.of(new Revision(to));
        }
        Optional<Revision> applied = rollouts.rollBack(name, head, target);
        if (applied.isEmpty()) {
            return new Problem("https://treum.ai/problems/nothing-to-roll-back-to", "Nothing to roll back to", 409,
                    "environment " + name + " has no healthy revision other than Git's head; name one with ?to=",
                    instance).toResponse();
        }
        return Response.accepted(Map.of("environment", name, "rolledBack", head.sha(), "to", applied.get().sha())).build();
    }

    private boolean known(String name) {
        return watcher.environments().contains(name) || statuses.get(name).isPresent();
    }

    private Response unknown(String name, String instance) {
        return Problem.notFound("no environment " + name + " at the current revision; known: "
                + String.join(", ", new TreeSet<>(watcher.environments())), instance).toResponse();
    }
}
