#!/usr/bin/env python3
"""Where a daemon's memory goes at N objects, and what each JVM option saves. For each set of
options: a fresh daemon syncs one environment of N objects (half ConfigMaps, half Deployments) and
goes idle; then its VmRSS, the JVM's own account of what it committed (Native Memory Tracking,
summary: heap; classes, metaspace and symbols; code and the compiler; threads; GC; the rest;
and the RSS none of them accounts for), its live heap after a full collection, and the
first sync's wall time, so that a saving in memory shows what it costs in speed. Every set runs
BENCH_RUNS times (default 5), alternately; the table holds medians. NMT itself costs a few MB of
RSS in every row alike. Called by scripts/benchmark.sh memory."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchmark import KUBECONFIG, KUBECTL, commit_environment, delete_objects, objects, rss_mb, status, wait_for
from benchmark_shards import idle, live_heap_mb, start, stop

ENV = "memory"
# NMT's categories, folded into the columns of the table
COLUMNS = {"Java Heap": "heap", "Class": "classes", "Metaspace": "classes", "Shared class space": "classes",
           "Symbol": "classes", "Code": "code", "Compiler": "code", "Thread": "threads", "GC": "gc"}


def committed_mb(pid):
    """NMT's committed memory per column; every category not named in COLUMNS goes to "other"."""
    out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                         check=True).stdout
    found = {"other": 0.0}
    for category, kb in re.findall(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", out, re.M):
        column = COLUMNS.get(category.strip(), "other")
        found[column] = found.get(column, 0.0) + int(kb) / 1024
    return found


def measure(jar, java_opts, work, n, case):
    repo = f"{work}/repo-{case}"
    namespace = f"memory-{case}"
    commit_environment(repo, ENV, namespace, objects(n, namespace))
    started = time.monotonic()
    daemon = start(jar, ["-XX:NativeMemoryTracking=summary", *java_opts], work, repo, case, namespace="bench-memory")
    try:
        try:
            wait_for(lambda: (status(daemon["base"], ENV) or {}).get("syncStatus") == "Synced", 300, f"{case}: synced",
                     0.25)
        except SystemExit:
            daemon["log"].flush()
            with open(f"{work}/daemon-{case}.log") as log:
                sys.stderr.write("".join(log.readlines()[-30:]))
            raise
        synced = time.monotonic() - started
        wait_for(lambda: idle([daemon]), 300, f"{case}: idle", 0)
        pid = daemon["process"].pid
        row = {"rss": rss_mb(pid), "live": live_heap_mb(pid), "synced": synced}
        # RSS again after the full collection: what an idle daemon keeps once its heap shrank
        row["rss after GC"] = rss_mb(pid)
        row.update(committed_mb(pid))
        # what the process holds beyond all the JVM committed: mostly memory malloc keeps after it was freed
        row["unaccounted"] = row["rss after GC"] - sum(row[k] for k in ("heap", "classes", "code", "threads", "gc", "other")
                                                       if k in row)
        return row
    finally:
        stop([daemon])
        delete_objects(namespace)
        # the daemon's inventory and history: the next run's environment has the same name
        delete_objects("bench-memory")


def main():
    jar, n, variants = sys.argv[1], int(sys.argv[2]), [v.split() for v in sys.argv[3:]]
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    subprocess.run([KUBECTL, "--kubeconfig", KUBECONFIG, "create", "namespace", "bench-memory"], capture_output=True)
    work = tempfile.mkdtemp(prefix="treum-gitops-memory-")
    rows = [[] for _ in variants]
    try:
        for run in range(runs):
            for i, opts in enumerate(variants):
                rows[i].append(measure(jar, opts, work, n, f"v{i}r{run}"))
                print(f"# run {run + 1}, options {i + 1}: " + ", ".join(f"{k} {v:.0f}" for k, v in rows[i][-1].items()
                                                                         if k != "synced")
                      + f", synced in {rows[i][-1]['synced']:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    keys = ["rss", "rss after GC", "heap", "live", "classes", "code", "threads", "gc", "other", "unaccounted"]
    print(f"| JVM options (besides NMT) | start to first sync of {n:,} objects | "
          + " | ".join(keys) + " |")
    print("|---|---:|" + "---:|" * len(keys))
    for opts, found in zip(variants, rows):
        medians = {k: statistics.median(r.get(k, 0.0) for r in found) for k in keys + ["synced"]}
        print(f"| `{' '.join(opts)}` | {medians['synced']:.1f} s | "
              + " | ".join(f"{medians[k]:.0f} MB" for k in keys) + " |")


if __name__ == "__main__":
    main()
