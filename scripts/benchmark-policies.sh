#!/usr/bin/env bash
# Benchmarks the policy engine: N generated objects (default 5000) checked against every bundled
# policy by the daemon's engine, next to the local kube-apiserver admitting the same
# Kubernetes objects with the same ValidatingAdmissionPolicies (kubectl create --dry-run=server).
# Prints a Markdown table; docs/benchmarks.md keeps the latest figures.
#
#   scripts/benchmark-policies.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."

size="${1:-5000}"

bash scripts/test-peers.sh
mvn -B -q -Dstyle.color=never package -DskipTests
# shellcheck source=/dev/null
. "${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}/peers.env"

run_dir="target/bench-policy-peers"
peers=
trap 'kill $peers 2>/dev/null; wait 2>/dev/null || true' EXIT
# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
start_local_peers "$run_dir"

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$KUBE_BIN/kube-apiserver" --version), $(java -version 2>&1 | head -n 1)"
KUBECTL="$KUBE_BIN/kubectl" KUBECONFIG="$run_dir/kubeconfig" \
  python3 scripts/benchmark_policies.py "$size"
