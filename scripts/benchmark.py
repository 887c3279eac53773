#!/usr/bin/env python3
"""Measures the daemon against kubectl on the same objects and the same kube-apiserver.

For each N it generates N objects (half ConfigMaps, half Deployments) as one environment in a
fresh Git repository, and measures in one run:
  kubectl apply --server-side -f   first apply of a copy of the objects (own namespace)
  kubectl diff  --server-side -f   no-op diff of that copy
  daemon first sync, fresh JVM     a commit adds the environment to a daemon started a moment
                                   before (which has synced a small one); request to result, from
                                   the status API
  daemon first sync, warm JVM      the same in a second daemon that has synced 1,000 other objects
                                   first: its JIT has compiled the sync's code, as in a daemon that
                                   has been running
  daemon no-op reconcile           POST .../sync when nothing changed; median of 5
  daemon drift detection           kubectl patch of one ConfigMap to the drift metric on /q/metrics
  daemon RSS                       VmRSS of the first daemon after the runs
  CPU                              seconds used by the client, kube-apiserver and etcd during the
                                   kubectl apply and the daemon's first syncs
BENCH_RUNS=k repeats everything k times (each run in namespaces of its own) and adds the median
ratios. With --compare it measures only fresh daemons' first syncs, in pairs with and without
extra JVM options (BENCH_RUNS pairs, default 4): CPU seconds for the same work vary by half
between runs on a shared machine, so only figures from alternating daemons compare. Called by
scripts/benchmark.sh, which provides the peers and the built daemon.
"""
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

KUBECTL = os.environ["KUBECTL"]
KUBECONFIG = os.environ["KUBECONFIG"]
RUNS_NOOP = 5
WARM_UP_OBJECTS = 1000


def cpu_seconds(pid):
    """User + system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pid_of(command):
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == command:
                        return int(entry)
            except OSError:
                pass
    raise SystemExit(f"no {command} process")


class Cpu:
    """CPU seconds the API server, etcd and the client used over a phase."""

    def __init__(self, client_pid=None):
        self.client_pid = client_pid
        self.pids = {"apiserver": pid_of("kube-apiserver"), "etcd": pid_of("etcd")}

    def __enter__(self):
        self.start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.start_client = self.client()
        return self

    def client(self):
        if self.client_pid:
            return cpu_seconds(self.client_pid)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def __exit__(self, *exc):
        self.used = {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}
        self.used["client"] = self.client() - self.start_client

    def text(self):
        return f"{self.used['client']:.1f} / {self.used['apiserver']:.1f} / {self.used['etcd']:.1f}"


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def timed(*args, ok_codes=(0,)):
    start = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True)
    took = time.monotonic() - start
    if result.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(args[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return took


def objects(n, namespace, labelled_by=None):
    docs = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n"]
    for i in range(n // 2):
        docs.append(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{i}
  namespace: {namespace}
data:
  INDEX: "{i}"
  MODE: blue
""")
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: {namespace}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app
          image: registry.treum.ai/treum/app:1.0.{i}
          ports: [{{containerPort: 8000}}]
          resources:
            requests: {{cpu: 50m, memory: 64Mi}}
            limits: {{cpu: 100m, memory: 128Mi}}
""")
    return "---\n".join(docs)


def commit_environment(path, env, namespace, manifests):
    write_environment(path, env, namespace, manifests)
    commit(path, f"add {env}")


def write_environment(path, env, namespace, manifests):
    os.makedirs(f"{path}/environments/{env}/kubernetes")
    with open(f"{path}/environments/{env}/environment.yaml", "w") as f:
        f.write(f"""apiVersion: gitops.treum.ai/v1alpha1
kind: Environment
metadata:
  name: {env}
spec:
  namespace: {namespace}
  sync: {{auto: true, selfHeal: false, prune: false, interval: 60m}}
""")
    # files of at most 1,000 objects: one file of 5,000 is over the daemon's limit of 1 MiB a file
    docs = manifests.split("---\n")
    for start in range(0, len(docs), 1000):
        with open(f"{path}/environments/{env}/kubernetes/objects-{start // 1000}.yaml", "w") as f:
            f.write("---\n".join(docs[start:start + 1000]))


def commit(path, message):
    if not os.path.exists(f"{path}/.git"):
        sh("git", "init", "-q", "-b", "main", cwd=path)
    sh("git", "add", ".", cwd=path)
    sh("git", "-c", "user.name=bench", "-c", "user.email=bench@treum.ai", "commit", "-qm", message, cwd=path)


def operator_token():
    """A token the daemon's API takes for a sync: the local operator's (scripts/local-operator.yaml)."""
    sh(KUBECTL, "--kubeconfig", KUBECONFIG, "apply", "-f", os.path.join(os.path.dirname(__file__), "local-operator.yaml"))
    return sh(KUBECTL, "--kubeconfig", KUBECONFIG, "create", "token", "treum-operator", "-n", "default").stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def wait_for(predicate, timeout, what, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise SystemExit(f"timed out waiting for {what}")


def status(base, env):
    """The environment's summary from the list, which stays small; the detail of N objects, asked
    for every 10 ms, would cost the daemon more than the sync it waits for."""
    try:
        return next((e for e in get_json(f"{base}/api/v1/environments") if e["name"] == env), None)
    except OSError:
        return None


def detail(base, env):
    return get_json(f"{base}/api/v1/environments/{env}")


def drift_metric(base, env):
    with urllib.request.urlopen(f"{base}/q/metrics", timeout=30) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("treum_gitops_drift_resources{") and f'environment="{env}"' in line:
                return float(line.rsplit(" ", 1)[1]) > 0
    return False


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def delete_objects(namespace):
    """Deletes the generated objects of a namespace, one delete-collection request per kind (there
    are no controllers here to empty a deleted namespace)."""
    for kind in ("api/v1/namespaces/{}/configmaps", "apis/apps/v1/namespaces/{}/deployments"):
        sh(KUBECTL, "--kubeconfig", KUBECONFIG, "delete", "--raw", "/" + kind.format(namespace))


class Daemon:
    """The daemon on a repository of its own, started, and ready once it has synced a warm-up
    environment of the given size. On exit it stops, and its objects are deleted, so the API
    server and etcd of the next run hold no more than it needs."""

    def __init__(self, jar, java_opts, work, name, warmup_objects):
        self.repo = f"{work}/repo-{name}"
        self.namespaces = [f"{name}-warmup"]
        commit_environment(self.repo, "warmup", f"{name}-warmup", objects(warmup_objects, f"{name}-warmup"))
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KUBECONFIG=KUBECONFIG, QUARKUS_HTTP_PORT=str(port),
                   TREUM_GITOPS_GIT_URL=f"file://{self.repo}", TREUM_GITOPS_GIT_BRANCH="main",
                   TREUM_GITOPS_DATA_DIR=f"{work}/data-{name}", TREUM_GITOPS_NAMESPACE=f"{name}-inventory",
                   TREUM_GITOPS_GIT_POLL_INTERVAL="1s",
                   # the status is polled every 250 ms; a TokenReview per poll would be measured with it
                   TREUM_GITOPS_API_AUTHENTICATE_READS="false")
        self.log_path = f"{work}/daemon-{name}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(["java", *java_opts, "-jar", jar, "serve"], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def __enter__(self):
        try:
            wait_for(lambda: (s := status(self.base, "warmup")) and s["syncStatus"] == "Synced", 300, "warm-up sync")
            # the first check of every peer runs 5 s after start; its first AWS client is not the sync's cost
            wait_for(lambda: self.logged("peer aws is"), 60, "the first peer report")
            # what follows a sync (health, Events, the log of each change) is not the next one's cost
            wait_for(lambda: self.idle(), 120, "the daemon to settle", every=0)
        except BaseException:
            self.__exit__()
            kept = shutil.copy(self.log_path, "target/")
            sys.stderr.write(f"the daemon did not get ready; its log: {kept}\n")
            raise
        return self

    def logged(self, text):
        with open(self.log_path) as f:
            return text in f.read()

    def idle(self):
        """Whether the daemon used under a twentieth of a core over the next half second."""
        before = cpu_seconds(self.process.pid)
        time.sleep(0.5)
        return cpu_seconds(self.process.pid) - before < 0.025

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)
        self.log.close()
        for namespace in self.namespaces:
            delete_objects(namespace)

    def first_sync(self, env, namespace, n):
        """Commits an environment of n objects; its sync's duration in seconds, and the CPU used."""
        self.namespaces.append(namespace)
        with Cpu(self.process.pid) as cpu:
            commit_environment(self.repo, env, namespace, objects(n, namespace))
            # the figure is the daemon's own (lastSync.durationMs): polling seldom delays only noticing
            # it, and each poll is CPU taken from the sync on two cores
            synced = wait_for(lambda: (s := status(self.base, env)) and s.get("lastSync")
                              and s["syncStatus"] == "Synced" and s, 900, f"first sync of {n} objects", every=0.25)
        return synced["lastSync"]["durationMs"] / 1000, cpu


def kubectl_apply(n, namespace, path):
    """kubectl apply --server-side of N generated objects in a namespace, written to path first:
    its time and the CPU it took."""
    with open(path, "w") as f:
        f.write(objects(n, namespace))
    with Cpu() as cpu:
        took = timed(KUBECTL, "--kubeconfig", KUBECONFIG, "apply", "--server-side", "--field-manager=bench", "-f", path)
    return took, cpu


def bench(n, run, jar, work, java_opts):
    # every run in namespaces of its own: kubectl's objects stay, and a second apply of them would be a no-op
    name = f"bench-{n}-r{run}"
    env = f"bench{n}"
    ns_daemon, ns_kubectl = f"{name}-daemon", f"{name}-kubectl"
    kubectl_file = f"{work}/kubectl-{name}.yaml"
    apply_s, kubectl_cpu = kubectl_apply(n, ns_kubectl, kubectl_file)
    k = [KUBECTL, "--kubeconfig", KUBECONFIG]
    kubectl_diff = timed(*k, "diff", "--server-side", "--field-manager=bench", "-f", kubectl_file, ok_codes=(0, 1))
    # what a run leaves behind would make the next one's API server and etcd slower
    delete_objects(ns_kubectl)

    with Daemon(jar, java_opts, work, name, 20) as daemon:
        first_s, daemon_cpu = daemon.first_sync(env, ns_daemon, n)
        base = daemon.base

        noop = []
        token = operator_token()
        for _ in range(RUNS_NOOP):
            before = status(base, env)["lastSync"]["finishedAt"]
            req = urllib.request.Request(f"{base}/api/v1/environments/{env}/sync", method="POST", data=b"{}",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=30).read()
            after = wait_for(lambda: (s := status(base, env)) and s["lastSync"]["finishedAt"] != before and s,
                             120, "no-op sync")
            changes = detail(base, env)["lastSync"]["changes"]
            if changes:
                raise SystemExit(f"no-op sync wrote: {changes[:3]}")
            noop.append(after["lastSync"]["durationMs"])

        patch = json.dumps({"data": {"MODE": "green"}})
        sh(*k, "patch", "configmap", "cm-0", "-n", ns_daemon, "--type=merge", "-p", patch)
        patched = time.monotonic()
        wait_for(lambda: drift_metric(base, env), 60, "drift metric", every=0.01)
        drift_ms = (time.monotonic() - patched) * 1000
        rss = rss_mb(daemon.process.pid)

    # the JVM compiles the sync's code during the first large sync; a daemon that has been running
    # has it compiled already: a second daemon syncs 1,000 other objects first
    with Daemon(jar, java_opts, work, f"{name}-warm", WARM_UP_OBJECTS) as daemon:
        warm_s, warm_cpu = daemon.first_sync(env, f"{ns_daemon}-warm", n)

    return {"n": n, "run": run, "kubectl_apply_s": apply_s, "kubectl_diff_s": kubectl_diff, "first_sync_s": first_s,
            "warm_sync_s": warm_s, "noop_ms": statistics.median(noop), "drift_ms": drift_ms, "rss_mb": rss,
            "kubectl_cpu": kubectl_cpu.text(), "daemon_cpu": daemon_cpu.text(), "warm_cpu": warm_cpu.text()}


def median_ratio(rows, n, key, of):
    return statistics.median(r[key] / r[of] for r in rows if r["n"] == n)


def compare(jar, n, extra_opts):
    """Fresh daemons with the lean JVM options and with extra ones, alternately, on one API server,
    each run beside kubectl apply --server-side of the same objects."""
    variants = {"lean": os.environ["LEAN_JAVA_OPTS"].split()}
    variants["lean " + " ".join(extra_opts)] = variants["lean"] + extra_opts
    runs = int(os.environ.get("BENCH_RUNS", "4"))
    work = tempfile.mkdtemp(prefix="treum-gitops-compare-")
    kubectl = "kubectl apply --server-side"
    rows = []
    try:
        for run in range(1, runs + 1):
            ns_kubectl = f"compare-{run}-kubectl"
            took, cpu = kubectl_apply(n, ns_kubectl, f"{work}/kubectl-{run}.yaml")
            delete_objects(ns_kubectl)
            rows.append({"run": run, "name": kubectl, "s": took, "cpu": cpu.used["client"],
                         "apiserver": cpu.used["apiserver"]})
            for name, opts in variants.items():
                tag = f"compare-{len(rows)}"
                with Daemon(jar, opts, work, tag, 20) as daemon:
                    took, cpu = daemon.first_sync(f"bench{n}", f"{tag}-daemon", n)
                rows.append({"run": run, "name": name, "s": took, "cpu": cpu.used["client"],
                             "apiserver": cpu.used["apiserver"]})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| client | run | first sync of {n:,} objects, fresh JVM | client CPU | kube-apiserver CPU | ratio to kubectl |")
    print("|---|---:|---:|---:|---:|---:|")
    baseline = {r["run"]: r["s"] for r in rows if r["name"] == kubectl}
    for r in rows:
        print(f"| {r['name']} | {r['run']} | {r['s']:.2f} s | {r['cpu']:.2f} s | {r['apiserver']:.2f} s "
              f"| {r['s'] / baseline[r['run']]:.2f} |")
    for name in [kubectl, *variants]:
        mine = [r for r in rows if r["name"] == name]
        print(f"| {name} | median | {statistics.median(r['s'] for r in mine):.2f} s "
              f"| {statistics.median(r['cpu'] for r in mine):.2f} s | {statistics.median(r['apiserver'] for r in mine):.2f} s "
              f"| {statistics.median(r['s'] / baseline[r['run']] for r in mine):.2f} |")


def main():
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
        return
    jar, sizes, java_opts = sys.argv[1], [int(x) for x in sys.argv[2].split(",")], sys.argv[3:]
    runs = int(os.environ.get("BENCH_RUNS", "1"))
    work = tempfile.mkdtemp(prefix="treum-gitops-bench-")
    try:
        rows = [bench(n, run, jar, work, java_opts) for run in range(1, runs + 1) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows.sort(key=lambda r: (r["n"], r["run"]))
    print("| objects | run | kubectl apply --server-side | daemon first sync, fresh JVM | ratio "
          "| daemon first sync, warm JVM | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['run']} | {r['kubectl_apply_s']:.2f} s | {r['first_sync_s']:.2f} s "
              f"| {r['first_sync_s'] / r['kubectl_apply_s']:.2f} | {r['warm_sync_s']:.2f} s "
              f"| {r['warm_sync_s'] / r['kubectl_apply_s']:.2f} |")
    if runs > 1:
        # runs on a small machine vary by a fifth and more: ratios within a run, their median across runs
        for n in sizes:
            print(f"| {n:,} | median | | | {median_ratio(rows, n, 'first_sync_s', 'kubectl_apply_s'):.2f} "
                  f"| | {median_ratio(rows, n, 'warm_sync_s', 'kubectl_apply_s'):.2f} |")
    print()
    print("| objects | run | kubectl diff --server-side | daemon no-op reconcile | ratio | drift to metric | daemon RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['run']} | {r['kubectl_diff_s']:.2f} s | {r['noop_ms']:.0f} ms "
              f"| {r['noop_ms'] / 1000 / r['kubectl_diff_s']:.3f} | {r['drift_ms']:.0f} ms | {r['rss_mb']:.0f} MB |")
    print()
    print("CPU seconds used during the first apply, client / kube-apiserver / etcd (2 cores: at most 2 per second):")
    print()
    print("| objects | run | kubectl apply --server-side | daemon first sync, fresh JVM | daemon first sync, warm JVM |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['run']} | {r['kubectl_cpu']} | {r['daemon_cpu']} | {r['warm_cpu']} |")


if __name__ == "__main__":
    main()
