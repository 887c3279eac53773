# shellcheck shell=bash
# The daemon's JVM for a small machine, as scripts/run-local.sh runs it and scripts/benchmark.sh
# measures it (docs/benchmarks.md):
# - a small heap (the informer caches keep objects as JSON text) with a small young generation,
#   and two malloc arenas: under 300 MB of RSS at 5,000 managed objects;
# - the C1 compiler only: the daemon is mostly idle, and on 2 cores C2's compiling competes with
#   the kube-apiserver;
# - C1 compiling after a quarter of the usual calls: a fresh daemon's first large sync runs less of
#   its code interpreted (a fifth less CPU at 1,000 objects), for about 4 MB more RSS at 5,000.
export MALLOC_ARENA_MAX=2
LEAN_JAVA_OPTS="-XX:+UseSerialGC -Xmx128m -Xmn32m -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.25 \
-XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Xss512k"
export LEAN_JAVA_OPTS
