#!/usr/bin/env python3
"""How cost grows with environments and objects, on two sharded replicas.

For each case of E environments of N objects (half ConfigMaps, half Deployments), all in one
commit, two replicas of the daemon (sharding on, two shards) share the environments on one
kube-apiserver. Measured per case, in one run:
  kubectl apply --server-side   a copy of every environment's objects (namespaces of its own), one
                                invocation per environment: the peer of the first sync
  daemons: first sync of all    from the commit until every environment is Synced (the replicas
                                were started and idle before, on a repository without them)
  kubectl diff --server-side    of the applied copy: the peer of the no-op
  daemons: no-op of all         POST .../sync of every environment at once, each to the replica
                                holding it, until every one has a newer sync; nothing is written
  memory                        each replica's VmRSS once idle, and its live heap after a full GC
Each case runs RUNS times (third argument, default 5), each on fresh replicas and fresh
environments; the table gives the median and, in brackets, the lowest and highest.
Prints a Markdown table and writes the plot (first sync, no-op and RSS against total objects, a
line per environment count) to the PNG named by the second argument, with matplotlib from the
virtualenv scripts/benchmark.sh provides. Called by `scripts/benchmark.sh scale`.
"""
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchmark import (KUBECTL, KUBECONFIG, commit, commit_environment, delete_objects, get_json, objects,
                       operator_token, rss_mb, timed, wait_for, write_environment)
from benchmark_shards import idle, live_heap_mb, start, stop

SHARDS = 2
CASES = [(4, 250), (20, 50), (4, 1250), (20, 250)]


def rows(daemon):
    try:
        return {e["name"]: e for e in get_json(f"{daemon['base']}/api/v1/environments")}
    except OSError:
        return {}


def held(daemon, envs, listed=None):
    listed = rows(daemon) if listed is None else listed
    return [e for e in envs if e in listed and (listed[e].get("shard") or {}).get("heldHere")]


def finished(daemons, envs):
    """Each environment's last sync as its holder reports it: (status, finishedAt)."""
    seen = {}
    for d in daemons:
        listed = rows(d)
        for e in held(d, envs, listed):
            sync = listed[e].get("lastSync") or {}
            seen[e] = (listed[e].get("syncStatus"), sync.get("finishedAt"))
    return seen


def post_sync(base, env, token):
    request = urllib.request.Request(f"{base}/api/v1/environments/{env}/sync", method="POST", data=b"{}",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        r.read()


def kubectl_all(verb, files):
    """kubectl once per environment, as a script would run it; diff exits 1 when anything differs."""
    started = time.monotonic()
    for path in files:
        timed(KUBECTL, "--kubeconfig", KUBECONFIG, verb, "--server-side", "--field-manager=bench-scale", "-f", path,
              ok_codes=(0, 1) if verb == "diff" else (0,))
    return time.monotonic() - started


def case(jar, java_opts, work, token, count, n, run):
    tag = f"e{count}n{n}r{run}"
    envs = [f"{tag}-{i}" for i in range(count)]
    copies = []
    for env in envs:
        path = f"{work}/{env}-kubectl.yaml"
        with open(path, "w") as f:
            f.write(objects(n, f"k-{env}"))
        copies.append(path)
    apply_s = kubectl_all("apply", copies)
    diff_s = kubectl_all("diff", copies)

    repo = f"{work}/repo-{tag}"
    commit_environment(repo, f"{tag}-seed", f"d-{tag}-seed", objects(2, f"d-{tag}-seed"))
    daemons = [start(jar, java_opts, work, repo, f"{tag}-{i}", f"{tag}-{i}", SHARDS, "bench-scale")
               for i in range(SHARDS)]
    try:
        seed = [f"{tag}-seed"]
        wait_for(lambda: sum(len(held(d, seed)) for d in daemons) == 1
                 and all(s == "Synced" for s, _ in finished(daemons, seed).values()), 300, f"{tag}: seed synced", 0.5)
        wait_for(lambda: idle(daemons), 300, f"{tag}: idle", 0)
        started = time.monotonic()
        for env in envs:
            write_environment(repo, env, f"d-{env}", objects(n, f"d-{env}"))
        commit(repo, f"{count} environments of {n} objects")
        wait_for(lambda: len(finished(daemons, envs)) == count
                 and all(s == "Synced" for s, _ in finished(daemons, envs).values()), 1800, f"{tag}: synced", 0.25)
        first_s = time.monotonic() - started
        wait_for(lambda: idle(daemons), 300, f"{tag}: idle after the sync", 0)

        before = finished(daemons, envs)
        holders = {e: d for d in daemons for e in held(d, envs)}
        started = time.monotonic()
        for env in envs:
            post_sync(holders[env]["base"], env, token)
        wait_for(lambda: all(now[1] != before[e][1] for e, now in finished(daemons, envs).items())
                 and len(finished(daemons, envs)) == count, 600, f"{tag}: no-op", 0.1)
        noop_s = time.monotonic() - started
        wait_for(lambda: idle(daemons), 300, f"{tag}: idle after the no-op", 0)
        memory = [(len(held(d, envs)), rss_mb(d["process"].pid), live_heap_mb(d["process"].pid)) for d in daemons]
        return {"environments": count, "objects": n, "apply": apply_s, "first": first_s, "diff": diff_s,
                "noop": noop_s, "memory": memory}
    finally:
        stop(daemons)
        for env in envs:
            delete_objects(f"d-{env}")
            delete_objects(f"k-{env}")
        delete_objects(f"d-{tag}-seed")


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 3, figsize=(13, 4))
    for count in sorted({r["environments"] for r in results}):
        mine = sorted((r for r in results if r["environments"] == count), key=lambda r: r["environments"] * r["objects"])
        totals = [r["environments"] * r["objects"] for r in mine]
        axes[0].plot(totals, [r["first"] for r in mine], marker="o", label=f"daemons, {count} environments")
        axes[0].plot(totals, [r["apply"] for r in mine], marker="x", linestyle="--",
                     label=f"kubectl apply --server-side, {count} environments")
        axes[1].plot(totals, [r["noop"] * 1000 for r in mine], marker="o", label=f"daemons, {count} environments")
        axes[1].plot(totals, [r["diff"] * 1000 for r in mine], marker="x", linestyle="--",
                     label=f"kubectl diff --server-side, {count} environments")
        axes[2].plot(totals, [max(m[1] for m in r["memory"]) for r in mine], marker="o",
                     label=f"largest replica, {count} environments")
    for axis, title, unit in ((axes[0], "first sync of all", "s"), (axes[1], "no-op of all", "ms"),
                              (axes[2], "RSS per replica", "MB")):
        axis.set_title(title)
        axis.set_xlabel("objects in all environments")
        axis.set_ylabel(unit)
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle("Treum GitOps, two sharded replicas, one kube-apiserver (2 cores)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def summary(runs):
    """The median run of a case: each time its median, with (lowest, highest) beside it; memory per replica."""
    merged = {"environments": runs[0]["environments"], "objects": runs[0]["objects"]}
    for key in ("apply", "first", "diff", "noop"):
        values = [r[key] for r in runs]
        merged[key] = statistics.median(values)
        merged[key + "_range"] = (min(values), max(values))
    merged["memory"] = [(runs[0]["memory"][i][0], statistics.median(r["memory"][i][1] for r in runs),
                         statistics.median(r["memory"][i][2] for r in runs)) for i in range(len(runs[0]["memory"]))]
    return merged


def seconds(r, key):
    low, high = r[key + "_range"]
    return f"{r[key]:.1f} s ({low:.1f}–{high:.1f})"


def millis(r, key):
    low, high = r[key + "_range"]
    return f"{r[key] * 1000:.0f} ms ({low * 1000:.0f}–{high * 1000:.0f})"


def main():
    jar, png, runs, java_opts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    subprocess.run([KUBECTL, "--kubeconfig", KUBECONFIG, "create", "namespace", "bench-scale"], capture_output=True)
    token = operator_token()
    work = tempfile.mkdtemp(prefix="treum-gitops-scale-")
    try:
        results = [summary([case(jar, java_opts, work, token, count, n, run) for run in range(runs)])
                   for count, n in CASES]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"medians of {runs} runs (lowest–highest)")
    print("| environments × objects | kubectl apply --server-side | daemons: first sync of all | ratio "
          "| kubectl diff --server-side | daemons: no-op of all | ratio | environments held, RSS, live heap per replica |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        memory = "; ".join(f"{held} env, {rss:.0f} MB, {heap:.0f} MB" for held, rss, heap in r["memory"])
        print(f"| {r['environments']} × {r['objects']:,} | {seconds(r, 'apply')} | {seconds(r, 'first')} "
              f"| {r['first'] / r['apply']:.2f} | {seconds(r, 'diff')} | {millis(r, 'noop')} "
              f"| {r['noop'] / r['diff']:.2f} | {memory} |")
    plot(results, png)
    print(f"plot: {png}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
