#!/usr/bin/env python3
"""Memory of a replica by the environments it holds: four environments of N objects each (half
ConfigMaps, half Deployments), synced once by one daemon that holds them all and once by four
sharded replicas (four shards, the environments named so that each falls in its own shard), all on
the same kube-apiserver. Reports each daemon's VmRSS once every environment is synced and the
daemons are idle, with the environments it holds, and its live heap: what the heap holds right
after a full collection (jcmd GC.run, then GC.heap_info), which is what the caches cost; RSS
also holds the heap the JVM keeps for itself (up to -Xmx), the code cache and metaspace.
Called by scripts/benchmark.sh shards."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

from benchmark import (KUBECTL, KUBECONFIG, commit_environment, cpu_seconds, delete_objects, free_port, get_json,
                       objects, rss_mb, wait_for)

SHARDS = 4


def names():
    """Four environment names, one in each of the four shards (the daemon's CRC-32 of the name)."""
    found = {}
    i = 0
    while len(found) < SHARDS:
        name = f"env{i}"
        found.setdefault(zlib.crc32(name.encode()) % SHARDS, name)
        i += 1
    return [found[s] for s in sorted(found)]


def start(jar, java_opts, work, repo, tag, identity=None, shards=SHARDS, namespace="bench-shards"):
    """A daemon on the repository, polling it every second; sharded (of shards) when given an identity."""
    port = free_port()
    env = dict(os.environ, KUBECONFIG=KUBECONFIG, QUARKUS_HTTP_PORT=str(port),
               TREUM_GITOPS_GIT_URL=f"file://{repo}", TREUM_GITOPS_GIT_BRANCH="main",
               TREUM_GITOPS_DATA_DIR=f"{work}/data-{tag}", TREUM_GITOPS_NAMESPACE=namespace,
               TREUM_GITOPS_GIT_POLL_INTERVAL="1s", TREUM_GITOPS_API_AUTHENTICATE_READS="false")
    if identity:
        env.update(TREUM_GITOPS_SHARDING_ENABLED="true", TREUM_GITOPS_SHARDING_SHARDS=str(shards),
                   TREUM_GITOPS_SHARDING_IDENTITY=identity)
    log = open(f"{work}/daemon-{tag}.log", "w")
    process = subprocess.Popen(["java", *java_opts, "-jar", jar, "serve"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    return {"tag": tag, "base": f"http://127.0.0.1:{port}", "process": process, "log": log}


def listed(daemon):
    try:
        return get_json(f"{daemon['base']}/api/v1/environments")
    except OSError:
        return []


def held(daemon, envs):
    """The environments this daemon holds: all without sharding, else those its status says it holds."""
    rows = {e["name"]: e for e in listed(daemon)}
    return [n for n in envs if n in rows and (rows[n].get("shard") is None or rows[n]["shard"].get("heldHere"))]


def live_heap_mb(pid):
    """The heap in use right after a full collection: the sum of each generation's "used"."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    # Serial GC: "def new generation total ..K, used ..K" and "tenured generation ..."; not metaspace
    return sum(int(m) for m in re.findall(r"generation\s+total \d+K, used (\d+)K", info)) / 1024


def idle(daemons):
    before = [cpu_seconds(d["process"].pid) for d in daemons]
    time.sleep(2)
    return all(cpu_seconds(d["process"].pid) - b < 0.1 for d, b in zip(daemons, before))


def stop(daemons):
    for d in daemons:
        d["process"].terminate()
    for d in daemons:
        d["process"].wait(30)
        d["log"].close()


def measure(jar, java_opts, work, n, case, replicas):
    envs = names()
    repo = f"{work}/repo-{case}"
    for env in envs:
        commit_environment(repo, env, f"{case}-{env}", objects(n, f"{case}-{env}"))
    daemons = [start(jar, java_opts, work, repo, f"{case}-{i}", f"{case}-{i}" if replicas > 1 else None)
               for i in range(replicas)]
    try:
        # every environment synced by its holder, and every shard taken
        wait_for(lambda: sorted(e for d in daemons for e in held(d, envs)) == sorted(envs)
                 and all(any(r["name"] == e and r["syncStatus"] == "Synced" for d in daemons
                             for r in listed(d) if e in held(d, envs)) for e in envs), 900, f"{case}: all synced", 1)
        wait_for(lambda: idle(daemons), 300, f"{case}: daemons idle", 0)
        return [(d["tag"], held(d, envs), rss_mb(d["process"].pid), live_heap_mb(d["process"].pid)) for d in daemons]
    finally:
        stop(daemons)
        for env in envs:
            delete_objects(f"{case}-{env}")


def main():
    jar, n, java_opts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    subprocess.run([KUBECTL, "--kubeconfig", KUBECONFIG, "create", "namespace", "bench-shards"],
                   capture_output=True)
    work = tempfile.mkdtemp(prefix="treum-gitops-shards-")
    try:
        rows = measure(jar, java_opts, work, n, "all", 1) + measure(jar, java_opts, work, n, "sharded", SHARDS)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| daemon | environments held ({n:,} objects each) | objects watched | live heap after a full GC | RSS |")
    print("|---|---|---:|---:|---:|")
    for tag, envs, rss, heap in rows:
        print(f"| {tag} | {', '.join(envs)} | {len(envs) * n:,} | {heap:.0f} MB | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
