#!/usr/bin/env bash
# Benchmarks the daemon next to the same work done by kubectl and the kube-apiserver, on the same
# generated objects and the same local kube-apiserver. Prints Markdown tables; docs/benchmarks.md
# keeps the latest figures.
#
#   scripts/benchmark.sh [SIZES] [JAVA OPTIONS...]   first sync, no-op reconcile, drift detection
#                                                    latency, RSS and CPU at N objects (default
#                                                    100,1000,5000) against kubectl apply/diff
#                                                    --server-side; the JVM options replace those of
#                                                    scripts/jvm-options.sh, e.g. 1000 -Xmx256m;
#                                                    BENCH_RUNS=3 repeats every size and adds the
#                                                    median ratios
#   scripts/benchmark.sh policies [N]                the policy engine on N objects (default 5000),
#                                                    in the JDK's default JVM and with the daemon's
#                                                    options, BENCH_RUNS JVMs each, against the API
#                                                    server's admission of them
#   scripts/benchmark.sh shards [N]                  RSS of one daemon holding 4 environments of N
#                                                    objects (default 1250) against 4 sharded
#                                                    replicas holding one each
#   scripts/benchmark.sh memory [N] [OPTIONS...]    where a daemon's memory goes once it synced N
#                                                    objects (default 5000): RSS, the JVM's native
#                                                    memory tracking by category, live heap, and
#                                                    the first sync's time; each OPTIONS argument
#                                                    is one whole set of JVM options (default:
#                                                    scripts/jvm-options.sh's), BENCH_RUNS each
#   scripts/benchmark.sh webhook [N]                 a signed push webhook for a one-object change
#                                                    to the object in the API server, N pushes
#                                                    (default 50), against a shell hook doing git
#                                                    pull over the same smart HTTP + kubectl apply
#   scripts/benchmark.sh render [N]                  reading an environment of N objects (default
#                                                    1000) written as a kustomize overlay: first
#                                                    read, the same tree again, and as plain
#                                                    manifests, against kustomize build from a shell
#   scripts/benchmark.sh scale [RUNS]                environments × objects (4×250, 20×50, 4×1250,
#                                                    20×250) on two sharded replicas, medians of
#                                                    RUNS runs (default 5): first sync,
#                                                    no-op of all and memory, against kubectl
#                                                    apply/diff --server-side; writes
#                                                    docs/benchmark-scale.png (matplotlib from PyPI,
#                                                    in a virtualenv beside the peers)
#   scripts/benchmark.sh compare [N] [OPTIONS...]    fresh daemons with scripts/jvm-options.sh and
#                                                    with those plus OPTIONS, alternately against
#                                                    one API server: first sync of N objects (default
#                                                    1000), BENCH_RUNS pairs (default 4), each pair
#                                                    after kubectl apply --server-side of the same
set -euo pipefail
cd "$(dirname "$0")/.."

mode=sync
if [ "${1:-}" = policies ] || [ "${1:-}" = compare ] || [ "${1:-}" = shards ] || [ "${1:-}" = webhook ] \
  || [ "${1:-}" = render ] || [ "${1:-}" = scale ] || [ "${1:-}" = memory ]; then
  mode=$1
  shift
fi
sizes="${1:-}"
shift || true

# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
provision_peers
mvn -B -q -Dstyle.color=never package -DskipTests

run_dir="target/bench-peers"
peers=
trap 'kill $peers 2>/dev/null; wait 2>/dev/null || true' EXIT
# etcd and the API server without controllers: each tool's own requests are measured, not the
# pods that the previous phase's Deployments keep the controllers creating for minutes
export PEERS_WORKLOADS=0
start_local_peers "$run_dir"

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$KUBE_BIN/kube-apiserver" --version), $(java -version 2>&1 | head -n 1)"
export KUBECTL="$KUBE_BIN/kubectl" KUBECONFIG="$run_dir/kubeconfig"
# the daemons' AWS is the local moto_server, as for scripts/run-local.sh
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=eu-west-1
TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE="$(sed -n 's/^moto.url=//p' "$run_dir/peers.properties")"
export TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE
if [ "$mode" = scale ]; then
  plot_venv="${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}/bench-venv"
  if [ ! -x "$plot_venv/bin/python" ] || ! "$plot_venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
    python3 -m venv "$plot_venv"
    "$plot_venv/bin/pip" install --quiet --disable-pip-version-check matplotlib
  fi
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  # shellcheck disable=SC2086
  "$plot_venv/bin/python" scripts/benchmark_scale.py target/quarkus-app/quarkus-run.jar docs/benchmark-scale.png \
    "${sizes:-5}" $LEAN_JAVA_OPTS
elif [ "$mode" = render ]; then
  RENDER_BIN="$RENDER_BIN" python3 scripts/benchmark_render.py "${sizes:-1000}"
elif [ "$mode" = policies ]; then
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  # shellcheck disable=SC2086
  python3 scripts/benchmark_policies.py "${sizes:-5000}" $LEAN_JAVA_OPTS
elif [ "$mode" = shards ]; then
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  # shellcheck disable=SC2086
  python3 scripts/benchmark_shards.py target/quarkus-app/quarkus-run.jar "${sizes:-1250}" $LEAN_JAVA_OPTS
elif [ "$mode" = memory ]; then
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  [ $# -gt 0 ] || set -- "$LEAN_JAVA_OPTS"
  python3 scripts/benchmark_memory.py target/quarkus-app/quarkus-run.jar "${sizes:-5000}" "$@"
elif [ "$mode" = webhook ]; then
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  # shellcheck disable=SC2086
  python3 scripts/benchmark_webhook.py target/quarkus-app/quarkus-run.jar "${sizes:-50}" $LEAN_JAVA_OPTS
elif [ "$mode" = compare ]; then
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  python3 scripts/benchmark.py --compare target/quarkus-app/quarkus-run.jar "${sizes:-1000}" "$@"
else
  # the daemon's JVM as scripts/run-local.sh runs it, unless options are given
  # shellcheck source=scripts/jvm-options.sh
  . scripts/jvm-options.sh
  # shellcheck disable=SC2086
  [ $# -gt 0 ] || set -- $LEAN_JAVA_OPTS
  python3 scripts/benchmark.py target/quarkus-app/quarkus-run.jar "${sizes:-100,1000,5000}" "$@"
fi
