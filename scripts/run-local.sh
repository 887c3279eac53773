#!/usr/bin/env bash
# Runs the daemon on this machine against the repository's own environments/ (as committed on the
# current branch): provisions the peers, starts a local kube-apiserver (with etcd) and
# moto_server, builds the daemon and runs it on http://localhost:8080. It syncs every environment
# into the local kube-apiserver and logs each object it creates. Ctrl-C stops the daemon and the
# peers; if a peer dies, the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
provision_peers
mvn -B -q -Dstyle.color=never package -DskipTests

run_dir="${TREUM_RUN_DIR:-target/local-peers}"
peers=
daemon=
trap 'kill $daemon $peers 2>/dev/null; wait 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
start_local_peers "$run_dir"

peer() { sed -n "s/^$1=//p" "$run_dir/peers.properties"; }
# moto accepts any credentials; these keep the SDK from looking for real ones
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=eu-west-1
export KUBECONFIG
KUBECONFIG="$(peer kube.kubeconfig)"
export TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE
TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE="$(peer moto.url)"
# the desired state is this repository as committed on the current branch
export TREUM_GITOPS_GIT_URL="file://$PWD" TREUM_GITOPS_GIT_BRANCH
TREUM_GITOPS_GIT_BRANCH="$(git rev-parse --abbrev-ref HEAD)"
export TREUM_GITOPS_DATA_DIR="$run_dir/data"
# moto starts empty: create what aws/ declares, so the daemon finds AWS as Git says
"$(dirname "$MOTO_SERVER")/python" scripts/seed-aws.py "$TREUM_GITOPS_AWS_ENDPOINT_OVERRIDE"

# the API asks the cluster who calls it: a local operator may sync, roll back and read every
# environment, and its token is what the command line sends (--token-file)
"$KUBE_BIN/kubectl" --kubeconfig "$KUBECONFIG" apply -f scripts/local-operator.yaml >/dev/null
"$KUBE_BIN/kubectl" --kubeconfig "$KUBECONFIG" create token treum-operator -n default --duration=24h \
  >"$run_dir/operator-token"
# a local run lets anybody read the page and the status API; writes still need the token
export TREUM_GITOPS_API_AUTHENTICATE_READS=false
# shellcheck source=scripts/jvm-options.sh
. scripts/jvm-options.sh
# shellcheck disable=SC2086
java ${JAVA_OPTS:-$LEAN_JAVA_OPTS} \
  -jar target/quarkus-app/quarkus-run.jar serve &
daemon=$!
# whichever ends first, the daemon or a peer, ends the run
wait -n "$daemon" "$peers"
