# shellcheck shell=bash
# The daemon's JVM for a small machine, as scripts/run-local.sh runs it and scripts/benchmark.sh
# measures it (docs/benchmarks.md):
# - a small heap (the informer caches keep objects as JSON text) with a small young generation,
#   and two malloc arenas: under 300 MB of RSS at 5,000 managed objects;
# - the C1 compiler only: the daemon is mostly idle, and on 2 cores C2's compiling competes with
#   the kube-apiserver.
export MALLOC_ARENA_MAX=2
LEAN_JAVA_OPTS="-XX:+UseSerialGC -Xmx128m -Xmn32m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m \
-XX:MaxDirectMemorySize=32m -Xss512k"
export LEAN_JAVA_OPTS
