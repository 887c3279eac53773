#!/usr/bin/env python3
"""Measures policy evaluation against the kube-apiserver's own admission of the same objects.

Generates N objects as one environment (Deployments, StatefulSets, Jobs, CronJobs, ConfigMaps and
Services, one workload in five breaking one bundled rule, plus the namespace, its NetworkPolicy,
a database and its BackupPolicy) and measures in one run:
  daemon                  every bundled policy compiled, then all N objects evaluated in one JVM:
                          the first evaluation (a cold JVM, as `validate` runs) and the steady
                          state of a running daemon (median of the last 10 of 60 more), in the
                          JDK's default JVM and with the daemon's own JVM options, alternately,
                          BENCH_RUNS JVMs each (default 5; medians)
  kube-apiserver          the bundled policies that admission can evaluate, bound to one
                          namespace, and `kubectl create --dry-run=server -f` of the Kubernetes
                          objects: wall time (median of BENCH_RUNS), which includes sending and
                          decoding every object
Both count the objects they deny; the counts must agree.
Called by `scripts/benchmark.sh policies`, which provides the peers and the built daemon.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

KUBECTL = os.environ["KUBECTL"]
NAMESPACE = "policy-bench"
# runs of each JVM and of kubectl, alternately; the table holds medians
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def kubectl(*args, ok_codes=(0,)):
    result = subprocess.run([KUBECTL, *args], capture_output=True, text=True)
    if result.returncode not in ok_codes:
        raise SystemExit(f"kubectl {' '.join(args[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def container(i, broken):
    image = "docker.io/library/nginx:1.27" if broken == "image" else f"registry.treum.ai/treum/app-{i}:1.{i % 7}"
    escalation = "true" if broken == "escalation" else "false"
    read_only = "false" if broken == "root-fs" else "true"
    limits = "" if broken == "resources" else "\n            limits: {cpu: 500m, memory: 256Mi}"
    return f"""        - name: app
          image: {image}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}{limits}
          securityContext:
            allowPrivilegeEscalation: {escalation}
            readOnlyRootFilesystem: {read_only}
            runAsNonRoot: true
            capabilities: {{drop: [ALL]}}"""


def pod_spec(i, broken, indent):
    host = "\n      hostNetwork: true" if broken == "host-network" else ""
    spec = f"""      securityContext: {{runAsNonRoot: true, runAsUser: 10001}}{host}
      containers:
{container(i, broken)}
      volumes:
        - name: tmp
          emptyDir: {{}}"""
    return "\n".join(" " * indent + line for line in spec.splitlines())


BREAKS = ["image", "escalation", "root-fs", "resources", "host-network"]


def workload(kind, i):
    broken = BREAKS[(i // 5) % len(BREAKS)] if i % 5 == 0 else None
    meta = f"metadata:\n  name: {kind.lower()}-{i}\n  namespace: {NAMESPACE}\n"
    if kind == "CronJob":
        return broken, f"""apiVersion: batch/v1
kind: CronJob
{meta}spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
{pod_spec(i, broken, 4)}
"""
    api = "batch/v1" if kind == "Job" else "apps/v1"
    selector = "" if kind == "Job" else f"  selector:\n    matchLabels: {{app: w-{i}}}\n"
    service = f"  serviceName: w-{i}\n" if kind == "StatefulSet" else ""
    restart = "      restartPolicy: Never\n" if kind == "Job" else ""
    return broken, f"""apiVersion: {api}
kind: {kind}
{meta}spec:
{selector}{service}  template:
    metadata:
      labels: {{app: w-{i}}}
    spec:
{restart}{pod_spec(i, broken, 0)}
"""


def generate(n, folder):
    kinds = ["Deployment", "Deployment", "Deployment", "Deployment", "StatefulSet", "Job", "CronJob",
             "ConfigMap", "ConfigMap", "Service"]
    docs, denied = [], 0
    for i in range(n - 2):
        kind = kinds[i % len(kinds)]
        if kind == "ConfigMap":
            docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {NAMESPACE}\n"
                        f"data:\n  INDEX: \"{i}\"\n")
        elif kind == "Service":
            docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: {NAMESPACE}\n"
                        f"spec:\n  selector: {{app: w-{i}}}\n  ports: [{{port: 80}}]\n")
        else:
            broken, text = workload(kind, i)
            denied += broken is not None
            docs.append(text)
    kube = os.path.join(folder, "environments", "bench", "kubernetes")
    os.makedirs(kube)
    with open(os.path.join(folder, "environments", "bench", "environment.yaml"), "w") as f:
        f.write(f"apiVersion: gitops.treum.ai/v1alpha1\nkind: Environment\nmetadata:\n  name: bench\n"
                f"spec:\n  namespace: {NAMESPACE}\n")
    with open(os.path.join(kube, "00-namespace.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {NAMESPACE}\n---\n"
                f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n"
                f"spec:\n  podSelector: {{}}\n  policyTypes: [Ingress]\n")
    objects = os.path.join(kube, "objects.yaml")
    with open(objects, "w") as f:
        f.write("---\n".join(docs))
    for sub, text in (("aws", "kind: RdsInstance\nmetadata:\n  name: db\nspec:\n  multiAZ: true\n"
                              "  deletionProtection: true\n  storageEncrypted: true\n"),
                      ("backups", "kind: BackupPolicy\nmetadata:\n  name: db-nightly\nspec:\n  database: db\n"
                                  "  schedule: \"0 2 * * *\"\n  destination: s3://bench-backups/db/\n  retention: 30d\n"
                                  "  maxAge: 26h\n  databaseSecret: {name: db, key: url}\n")):
        os.makedirs(os.path.join(folder, "environments", "bench", sub))
        with open(os.path.join(folder, "environments", "bench", sub, "objects.yaml"), "w") as f:
            f.write("apiVersion: gitops.treum.ai/v1alpha1\n" + text)
    return objects, denied


def daemon(folder, java_opts):
    classpath = os.pathsep.join(["target/test-classes", "target/quarkus-app/app/*", "target/quarkus-app/lib/main/*"])
    result = subprocess.run(["java", *java_opts, "-cp", classpath, "ai.treum.gitops.bench.PolicyBenchmark",
                             os.path.join(folder, "environments", "bench"), "bench", "policies"],
                            capture_output=True, text=True)
    stats = re.search(r"objects (\d+); policies (\d+); compile (\d+) ms; first evaluation (\d+) ms; "
                      r"steady state (\d+) ms; denied (\d+)", result.stdout)
    if result.returncode != 0 or not stats:
        raise SystemExit(f"PolicyBenchmark failed ({result.returncode}): {result.stdout[-1000:]}{result.stderr[-2000:]}")
    return [int(g) for g in stats.groups()]


def load_admission_policies():
    names = []
    for file in sorted(os.listdir("policies")):
        text = open(os.path.join("policies", file)).read()
        if "paramKind" in text or "gitops.treum.ai\"" in text:
            continue
        kubectl("apply", "-f", os.path.join("policies", file))
        names.append(file[:-len(".yaml")])
    selector = '{"spec":{"matchResources":{"namespaceSelector":{"matchLabels":' \
               '{"kubernetes.io/metadata.name":"' + NAMESPACE + '"}}}}}'
    for name in names:
        kubectl("patch", "validatingadmissionpolicybinding", name, "--type", "merge", "-p", selector)
    return names


def api_server(objects, expected_denials):
    kubectl("create", "namespace", NAMESPACE)
    load_admission_policies()
    # the API server enforces a binding once its informers hold it: wait until all deny
    deadline = time.monotonic() + 60
    while True:
        result = kubectl("create", "--dry-run=server", "-f", objects, ok_codes=(0, 1))
        denied = len(re.findall(r"ValidatingAdmissionPolicy", result.stderr))
        if denied >= expected_denials or time.monotonic() > deadline:
            break
        time.sleep(1)
    runs = []
    for _ in range(RUNS):
        start = time.monotonic()
        result = kubectl("create", "--dry-run=server", "-f", objects, ok_codes=(0, 1))
        runs.append(time.monotonic() - start)
    return statistics.median(runs), len(re.findall(r"ValidatingAdmissionPolicy", result.stderr))


def main():
    n, lean_opts = int(sys.argv[1]), sys.argv[2:]
    folder = tempfile.mkdtemp(prefix="treum-gitops-policy-bench-")
    jvms = {"the JDK's defaults": [], "the daemon's (scripts/jvm-options.sh)": lean_opts}
    try:
        objects, expected = generate(n, folder)
        found = {name: [] for name in jvms}
        for _ in range(RUNS):
            for name, opts in jvms.items():
                found[name].append(daemon(folder, opts))
        rows = {name: [statistics.median(column) for column in zip(*runs)] for name, runs in found.items()}
        theirs_s, theirs = api_server(objects, expected)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # every JVM's count, not only the medians: the denied count is each run's last figure
    ours = sorted({run[-1] for runs in found.values() for run in runs})
    if ours != [expected] or theirs != expected:
        raise SystemExit(f"denied objects disagree: generated {expected}, daemon {ours}, API server {theirs}")
    print("| daemon's JVM options | objects | policies | daemon: compile | daemon: first evaluation "
          "| daemon: steady state | kube-apiserver admission (kubectl create --dry-run=server) "
          "| denied (daemon / API server) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, (checked, policies, compile_ms, first_ms, steady_ms, ours) in rows.items():
        print(f"| {name} | {checked:,.0f} | {policies:.0f} | {compile_ms:.0f} ms | {first_ms:.0f} ms | {steady_ms:.0f} ms "
              f"| {theirs_s:.2f} s | {ours:.0f} / {theirs} |")


if __name__ == "__main__":
    main()
