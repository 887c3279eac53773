#!/usr/bin/env bash
# Benchmarks the daemon against kubectl on the same objects and the same local kube-apiserver:
# first sync, no-op reconcile, drift detection latency and RSS at N objects (default
# 100, 1000 and 5000). Prints a Markdown table; docs/benchmarks.md keeps the latest figures.
#
#   scripts/benchmark.sh [SIZES] [JAVA OPTIONS...]      e.g. scripts/benchmark.sh 1000 -Xmx256m
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="${1:-100,1000,5000}"
shift || true

bash scripts/test-peers.sh
mvn -B -q -Dstyle.color=never package -DskipTests
# shellcheck source=/dev/null
. "${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}/peers.env"

run_dir="target/bench-peers"
peers=
trap 'kill $peers 2>/dev/null; wait 2>/dev/null || true' EXIT
# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
start_local_peers "$run_dir"

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$KUBE_BIN/kube-apiserver" --version), $(java -version 2>&1 | head -n 1)"
KUBECTL="$KUBE_BIN/kubectl" KUBECONFIG="$run_dir/kubeconfig" \
  python3 scripts/benchmark.py target/quarkus-app/quarkus-run.jar "$sizes" "$@"
