package ai.treum.gitops.core.backup;

import ai.treum.gitops.core.network.NetworkReachability;
import ai.treum.gitops.core.rollout.Hook;
import ai.treum.gitops.model.DesiredResource;
import ai.treum.gitops.model.ResourceKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes objects that carry out a BackupPolicy: a ConfigMap with the backup and drill
 * scripts ({@code src/main/resources/backup/}), a CronJob that takes the backup on the policy's
 * schedule, and one that runs the restore drill on the drill's schedule. The database URL comes
 * from the Secret the policy names, never from Git. They are applied with the environment's other
 * objects, so policies check them and drift heals them. Pure, but for reading the scripts once.
 */
public final class BackupJobs {

    /** Python 3 with boto3, and PostgreSQL's client tools; the scripts need nothing else. */
    public static final String DEFAULT_IMAGE = "registry.treum.ai/treum/pg-backup:15";
    private static final String BACKUP_SCRIPT = script("backup.py");
    private static final String DRILL_SCRIPT = script("drill.py");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY_LABEL = "gitops.treum.ai/backup-policy";
    /** On the backup and drill pods, for NetworkPolicies to select them by. */
    private static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    private BackupJobs() {
    }

    /**
     * @param resource  the BackupPolicy as Git declares it (spec.databaseSecret, spec.image,
     *                  spec.serviceAccountName, spec.imagePullSecrets, spec.restoreDrill.checks are
     *                  read from it)
     * @param namespace the environment's namespace
     * @param region    the AWS region of its bucket, or null for the pod's default
     */
    public static List<DesiredResource> render(BackupPolicy policy, DesiredResource resource, String namespace, String region) {
        JsonNode spec = resource.body().path("spec");
        String scripts = policy.name() + "-backup-scripts";
        List<DesiredResource> objects = new ArrayList<>();
        ObjectNode configMap = object("v1", "ConfigMap", scripts, namespace, policy);
        configMap.with("data").put("backup.py", BACKUP_SCRIPT).put("drill.py", DRILL_SCRIPT);
        objects.add(desired(configMap, "v1", namespace, resource));
        objects.add(desired(cronJob(policy, spec, policy.name() + "-backup", policy.schedule(), "backup.py", scripts,
                namespace, region, null), "batch/v1", namespace, resource));
        if (policy.drillSchedule() != null) {
            objects.add(desired(cronJob(policy, spec, policy.name() + "-restore-drill", policy.drillSchedule(), "drill.py",
                    scripts, namespace, region, spec.path("restoreDrill").path("checks")), "batch/v1", namespace, resource));
        }
        return objects;
    }

    /**
     * The backup CronJobs among an environment's objects, each as a Job to run before its pre-sync
     * hooks ({@code <cronjob>-presync}, for this revision), so a migration never runs without a
     * fresh dump behind it.
     */
    public static List<DesiredResource> presync(List<DesiredResource> objects, String revision) {
        List<DesiredResource> jobs = new ArrayList<>();
        for (DesiredResource object : objects) {
            if (object.key().kind().equals("CronJob") && object.key().name().endsWith("-backup")
                    && object.body().path("metadata").path("labels").has(POLICY_LABEL)) {
                ObjectNode job = JSON.createObjectNode().put("apiVersion", "batch/v1").put("kind", "Job");
                ObjectNode metadata = job.with("metadata").put("name", object.key().name() + "-presync")
                        .put("namespace", object.key().namespace());
                metadata.set("labels", object.body().path("metadata").path("labels").deepCopy());
                job.set("spec", object.body().path("spec").path("jobTemplate").path("spec").deepCopy());
                jobs.add(Hook.forRevision(desired(job, "batch/v1", object.key().namespace(), object), revision));
            }
        }
        return jobs;
    }

    private static ObjectNode cronJob(BackupPolicy policy, JsonNode spec, String name, String schedule, String script,
            String scripts, String namespace, String region, JsonNode checks) {
        ObjectNode cronJob = object("batch/v1", "CronJob", name, namespace, policy);
        // what NetworkPolicies must let its pods reach: the database, S3 and the DNS to find both
        cronJob.with("metadata").with("annotations").put(NetworkReachability.NEEDS, "dns,postgres,https");
        ObjectNode cronSpec = cronJob.with("spec");
        cronSpec.put("schedule", schedule).put("concurrencyPolicy", "Forbid").put("successfulJobsHistoryLimit", 3)
                .put("failedJobsHistoryLimit", 3);
        ObjectNode jobSpec = cronSpec.with("jobTemplate").with("spec");
        jobSpec.put("backoffLimit", 1);
        ObjectNode template = jobSpec.with("template");
        template.with("metadata").with("labels").put(POLICY_LABEL, policy.name()).put(COMPONENT_LABEL, "backup");
        ObjectNode pod = template.with("spec");
        pod.put("restartPolicy", "Never");
        if (spec.hasNonNull("serviceAccountName")) {
            pod.put("serviceAccountName", spec.path("serviceAccountName").asText());
        }
        if (spec.path("imagePullSecrets").isArray()) {
            pod.set("imagePullSecrets", spec.path("imagePullSecrets").deepCopy());
        }
        pod.with("securityContext").put("runAsNonRoot", true).put("runAsUser", 10001).put("runAsGroup", 10001)
                .with("seccompProfile").put("type", "RuntimeDefault");
        ObjectNode container = pod.withArray("containers").addObject();
        container.put("name", "backup");
        container.put("image", spec.path("image").asText(DEFAULT_IMAGE));
        container.putArray("command").add("python3").add("/scripts/" + script);
        ArrayNode env = container.putArray("env");
        // the drill creates and drops a scratch database: it may connect as a user the dump does not need
        JsonNode secret = checks != null && spec.path("restoreDrill").has("databaseSecret")
                ? spec.path("restoreDrill").path("databaseSecret") : spec.path("databaseSecret");
        ObjectNode url = env.addObject().put("name", "DATABASE_URL").with("valueFrom").with("secretKeyRef");
        url.put("name", secret.path("name").asText()).put("key", secret.path("key").asText());
        env.addObject().put("name", "BACKUP_BUCKET").put("value", policy.bucket());
        env.addObject().put("name", "BACKUP_PREFIX").put("value", policy.prefix());
        if (region != null) {
            env.addObject().put("name", "AWS_REGION").put("value", region);
        }
        if (checks != null) {
            env.addObject().put("name", "DRILL_CHECKS").put("value", checks.isArray() ? checks.toString() : "[]");
        }
        container.with("resources").with("requests").put("cpu", "100m").put("memory", "256Mi");
        container.with("resources").with("limits").put("cpu", "1").put("memory", "1Gi");
        ObjectNode security = container.with("securityContext");
        security.put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true);
        security.with("capabilities").putArray("drop").add("ALL");
        ArrayNode mounts = container.putArray("volumeMounts");
        mounts.addObject().put("name", "scripts").put("mountPath", "/scripts").put("readOnly", true);
        mounts.addObject().put("name", "tmp").put("mountPath", "/tmp");
        ArrayNode volumes = pod.putArray("volumes");
        volumes.addObject().put("name", "scripts").with("configMap").put("name", scripts);
        volumes.addObject().put("name", "tmp").with("emptyDir");
        return cronJob;
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String namespace, BackupPolicy policy) {
        ObjectNode object = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode metadata = object.with("metadata").put("name", name).put("namespace", namespace);
        metadata.with("labels").put(POLICY_LABEL, policy.name());
        return object;
    }

    private static DesiredResource desired(ObjectNode body, String apiVersion, String namespace, DesiredResource policy) {
        ResourceKey key = ResourceKey.of(apiVersion, body.path("kind").asText(), namespace,
                body.path("metadata").path("name").asText());
        return new DesiredResource(key, apiVersion, body, policy.source());
    }

    private static String script(String name) {
        try (InputStream in = BackupJobs.class.getResourceAsStream("/backup/" + name)) {
            if (in == null) {
                throw new IllegalStateException("backup script " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
