#!/usr/bin/env python3
"""Webhook to applied: how long from a signed GitHub push webhook for a one-object change to the
changed object in the kube-apiserver, over N pushes (default 50), next to a shell hook doing the
same by hand: git fetch over the same smart HTTP server, then kubectl apply --server-side.

The desired-state repository is served over smart HTTP on loopback (git http-backend behind a
small HTTP server in this process). The environment has the generated objects of benchmark.py
(100) plus the ConfigMap `settings`, whose VERSION each push changes. One `kubectl get --watch`
stream sees every version arrive; a push's latency runs from just before its webhook request (or
the hook's git fetch) to the arrival of its version on that stream. Pushes are 1.2 s apart: the
daemon starts push-driven fetches a second apart at least, on purpose (a flood costs one fetch a
second), and back-to-back pushes would measure that spacing, not the path. BENCH_RUNS=k repeats
it all with a fresh daemon k times and adds the medians. Called by scripts/benchmark.sh webhook.
"""
import hashlib
import hmac
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

from benchmark import KUBECTL, KUBECONFIG, commit_environment, free_port, objects, sh, status, wait_for

SECRET = "bench-webhook-secret"
ENV = "hooked"
SPACING = 1.2


class GitHandler(http.server.BaseHTTPRequestHandler):
    """Smart HTTP by git http-backend (CGI): what a Git host's fetch endpoint does."""
    root = None

    def do_GET(self):
        self.backend(b"")

    def do_POST(self):
        self.backend(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def backend(self, body):
        path, _, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=self.root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                   QUERY_STRING=query, REQUEST_METHOD=self.command, CONTENT_LENGTH=str(len(body)),
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), REMOTE_ADDR="127.0.0.1",
                   HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""),
                   GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        code = 200
        headers = []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(": ")
            if name.lower() == "status":
                code = int(value.split()[0])
            elif name:
                headers.append((name, value))
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class Arrivals:
    """One kubectl watch on a ConfigMap: when each VERSION was first seen."""

    def __init__(self, namespace):
        self.seen = {}
        self.process = subprocess.Popen([KUBECTL, "--kubeconfig", KUBECONFIG, "get", "configmap", "settings", "-n",
                                         namespace, "--watch", "-o", "jsonpath={.data.VERSION}{\"\\n\"}"],
                                        stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.seen.setdefault(line.strip(), time.monotonic())

    def stop(self):
        self.process.terminate()


def settings(namespace, version):
    return f"""---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: {namespace}
data:
  VERSION: "{version}"
"""


def commit(work, path, text, message):
    with open(f"{work}/{path}", "w") as f:
        f.write(text)
    sh("git", "add", ".", cwd=work)
    sh("git", "-c", "user.name=bench", "-c", "user.email=bench@treum.ai", "commit", "-qm", message, cwd=work)
    sh("git", "push", "-q", "origin", "main", cwd=work)


def push_webhook(base, path):
    body = json.dumps({"ref": "refs/heads/main", "commits": [{"added": [], "modified": [path], "removed": []}]}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{base}/webhooks/github", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-GitHub-Event": "push", "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=30) as r:
        if r.status != 202:
            raise SystemExit(f"webhook answered {r.status}")


def measure(n, start_change, arrivals):
    """Latency of each of n changes: from start_change(i) to version i arriving on the watch."""
    took = []
    for i in range(1, n + 1):
        version = f"v{i}"
        began = start_change(i, version)
        wait_for(lambda: version in arrivals.seen, 30, f"{version} in the apiserver")
        took.append(arrivals.seen[version] - began)
        time.sleep(max(0.0, SPACING - (time.monotonic() - began)))
    return took


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def row(name, took, peer=None):
    p50, p90, p99 = (percentile(took, p) * 1000 for p in (50, 90, 99))
    ratio = "" if peer is None else f"{statistics.median(took) / statistics.median(peer):.2f}"
    return f"| {name} | {len(took)} | {p50:.0f} | {p90:.0f} | {p99:.0f} | {max(took) * 1000:.0f} | {ratio} |"


def run_once(jar, n, java_opts):
    """One fresh daemon and one hook, n pushes each: the latencies of both, in seconds."""
    work_root = tempfile.mkdtemp(prefix="treum-gitops-bench-webhook-")
    daemon = None
    watches = []
    try:
        bare = f"{work_root}/served/desired.git"
        sh("git", "init", "-q", "--bare", "-b", "main", bare)
        work = f"{work_root}/work"
        sh("git", "clone", "-q", bare, work)
        namespace, peer_namespace = "bench-webhook", "bench-webhook-hook"
        folder = f"environments/{ENV}/kubernetes"
        commit_environment(work, ENV, namespace, objects(100, namespace))
        commit(work, f"{folder}/settings.yaml", settings(namespace, "v0"), "its settings")
        os.makedirs(f"{work}/hook")
        commit(work, "hook/settings.yaml", objects(0, peer_namespace) + settings(peer_namespace, "v0"), "the hook's copy")

        GitHandler.root = f"{work_root}/served"
        git_port = free_port()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", git_port), GitHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{git_port}/desired.git"

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KUBECONFIG=KUBECONFIG, QUARKUS_HTTP_PORT=str(port), TREUM_GITOPS_GIT_URL=url,
                   TREUM_GITOPS_GIT_BRANCH="main", TREUM_GITOPS_DATA_DIR=f"{work_root}/data",
                   TREUM_GITOPS_NAMESPACE="bench-webhook-daemon", TREUM_GITOPS_GIT_POLL_INTERVAL="10m",
                   TREUM_GITOPS_API_AUTHENTICATE_READS="false", TREUM_GITOPS_WEBHOOKS_GITHUB_SECRET=SECRET)
        log = open(f"{work_root}/daemon.log", "w")
        daemon = subprocess.Popen(["java", *java_opts, "-jar", jar, "serve"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        wait_for(lambda: (status(base, ENV) or {}).get("syncStatus") == "Synced", 180, "the first sync")

        ours = Arrivals(namespace)
        watches.append(ours)
        wait_for(lambda: "v0" in ours.seen, 30, "the watch")

        def by_webhook(i, version):
            commit(work, f"{folder}/settings.yaml", settings(namespace, version), version)
            began = time.monotonic()
            push_webhook(base, f"{folder}/settings.yaml")
            return began

        daemon_took = measure(n, by_webhook, ours)

        hook_clone = f"{work_root}/hook-clone"
        sh("git", "clone", "-q", url, hook_clone)
        sh(KUBECTL, "--kubeconfig", KUBECONFIG, "apply", "--server-side", "-f", f"{hook_clone}/hook/settings.yaml")
        theirs = Arrivals(peer_namespace)
        watches.append(theirs)
        wait_for(lambda: "v0" in theirs.seen, 30, "the hook's watch")

        def by_hook(i, version):
            commit(work, "hook/settings.yaml", objects(0, peer_namespace) + settings(peer_namespace, version), version)
            began = time.monotonic()
            sh("git", "pull", "-q", "--ff-only", cwd=hook_clone)
            sh(KUBECTL, "--kubeconfig", KUBECONFIG, "apply", "--server-side", "-f", f"{hook_clone}/hook/settings.yaml")
            return began

        hook_took = measure(n, by_hook, theirs)
        return daemon_took, hook_took
    finally:
        for watch in watches:
            watch.stop()
        if daemon:
            daemon.terminate()
            daemon.wait()
        sh(KUBECTL, "--kubeconfig", KUBECONFIG, "delete", "namespace", "bench-webhook", "bench-webhook-hook",
           "--ignore-not-found", "--wait=false")
        shutil.rmtree(work_root, ignore_errors=True)


def main():
    jar, n, java_opts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    runs = [run_once(jar, n, java_opts) for _ in range(int(os.environ.get("BENCH_RUNS", "1")))]
    print(f"\n## Webhook to applied, {n} pushes a run ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print("| run | path | pushes | p50 ms | p90 ms | p99 ms | max ms | median ratio to the hook |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (daemon_took, hook_took) in enumerate(runs, 1):
        print(f"| {i} " + row("daemon: signed webhook → fetch → plan → apply", daemon_took, hook_took))
        print(f"| {i} " + row("shell hook: git pull over smart HTTP + kubectl apply --server-side", hook_took))
    if len(runs) > 1:
        p50 = statistics.median(percentile(d, 50) for d, _ in runs) * 1000
        p99 = statistics.median(percentile(d, 99) for d, _ in runs) * 1000
        ratio = statistics.median(statistics.median(d) / statistics.median(h) for d, h in runs)
        print(f"\nmedian of {len(runs)} runs, daemon: p50 {p50:.0f} ms, p99 {p99:.0f} ms, median ratio to the hook "
              f"{ratio:.2f}")


if __name__ == "__main__":
    main()
