#!/usr/bin/env python3
"""Measures what rendering a kustomize overlay adds to reading an environment.

Generates N objects (Deployments and ConfigMaps, 50 to a file) as a shared base, an overlay that
patches every Deployment's replicas and sets an image tag, and the same N objects, as the overlay
renders them, written as plain manifests of a second environment. Then, in one run:
  kustomize build          the pinned kustomize on the overlay, from a shell: the peer
  daemon, first read       a fresh JVM reads the overlay: scratch copy, kustomize, parse, checks
  daemon, same tree again  the rendering is kept by a hash of its inputs: hash, parse, checks
  daemon, plain manifests  the same objects with no rendering at all
Medians of BENCH_RUNS fresh JVMs (default 5). Called by `scripts/benchmark.sh render`, which
provides the peers and the built daemon.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RENDER_BIN = os.environ["RENDER_BIN"]
KUSTOMIZE = os.path.join(RENDER_BIN, "kustomize")
HELM = os.path.join(RENDER_BIN, "helm")
PER_FILE = 50


def deployment(i):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, labels: {{app: app-{i}}}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
        - name: app
          image: registry.treum.ai/treum/app:1.0
          resources: {{requests: {{cpu: 10m, memory: 16Mi}}, limits: {{cpu: 100m, memory: 64Mi}}}}
"""


def config_map(i):
    return f"""apiVersion: v1
kind: ConfigMap
metadata: {{name: settings-{i}}}
data: {{INDEX: "{i}", LOG_LEVEL: info}}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def generate(root, n):
    objects = [deployment(i) if i % 2 == 0 else config_map(i) for i in range(n)]
    base = os.path.join(root, "environments/base/kubernetes")
    names = []
    for start in range(0, n, PER_FILE):
        name = f"objects-{start // PER_FILE:03d}.yaml"
        names.append(name)
        write(os.path.join(base, name), "---\n".join(objects[start:start + PER_FILE]))
    write(os.path.join(base, "kustomization.yaml"), "resources:\n" + "".join(f"  - {n}\n" for n in names))
    for env in ("bench", "plain"):
        write(os.path.join(root, f"environments/{env}/environment.yaml"), f"""apiVersion: gitops.treum.ai/v1alpha1
kind: Environment
metadata: {{name: {env}}}
spec: {{namespace: treum-{env}}}
""")
    write(os.path.join(root, "environments/bench/kubernetes/kustomization.yaml"), """resources: [../../base/kubernetes]
images:
  - {name: registry.treum.ai/treum/app, newTag: "1.1"}
patches:
  - target: {kind: Deployment}
    patch: |-
      - {op: replace, path: /spec/replicas, value: 2}
""")
    rendered = subprocess.run([KUSTOMIZE, "build", os.path.join(root, "environments/bench/kubernetes")],
                              check=True, capture_output=True, text=True).stdout
    write(os.path.join(root, "environments/plain/kubernetes/objects.yaml"), rendered)


def main():
    n = int(sys.argv[1])
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    classpath = os.pathsep.join(["target/test-classes", "target/quarkus-app/app/*", "target/quarkus-app/lib/main/*"])
    with tempfile.TemporaryDirectory(prefix="treum-render-bench") as root:
        generate(root, n)
        peer, first, again, plain = [], [], [], []
        objects = 0
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([KUSTOMIZE, "build", os.path.join(root, "environments/bench/kubernetes")],
                           check=True, capture_output=True)
            peer.append((time.monotonic() - started) * 1000)
            result = subprocess.run(["java", "-cp", classpath, "ai.treum.gitops.bench.RenderBenchmark", root, "bench",
                                     "plain", KUSTOMIZE, HELM], capture_output=True, text=True)
            if result.returncode != 0:
                raise SystemExit(f"RenderBenchmark failed: {result.stdout[-1000:]}{result.stderr[-2000:]}")
            fields = result.stdout.split()
            objects = int(fields[0])
            first.append(float(fields[1]))
            again.append(float(fields[2]))
            plain.append(float(fields[3]))
    med = statistics.median
    print(f"\n{runs} runs, medians, {objects} objects")
    print("| objects | kustomize build (shell) | daemon: first read of the overlay | daemon: same tree again "
          "| daemon: plain manifests | first read / kustomize build | same tree again / plain |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {objects} | {med(peer):.0f} ms | {med(first):.0f} ms | {med(again):.1f} ms | {med(plain):.1f} ms "
          f"| {med(first) / med(peer):.2f} | {med(again) / med(plain):.2f} |")


if __name__ == "__main__":
    main()
