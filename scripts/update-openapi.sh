#!/usr/bin/env bash
# Refreshes the OpenAPI v3 documents `validate` checks core kinds against, from the
# kube-apiserver that scripts/test-peers.sh builds, into src/main/resources/openapi/ (gzipped).
# Run it after changing K8S_VERSION in test-peers.sh, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
provision_peers
run_dir="target/openapi-peers"
peers=
trap 'kill $peers 2>/dev/null; wait 2>/dev/null || true' EXIT
start_local_peers "$run_dir"

out="src/main/resources/openapi"
rm -rf "$out" && mkdir -p "$out"
for path in api/v1 apis/apps/v1 apis/batch/v1 apis/networking.k8s.io/v1 apis/rbac.authorization.k8s.io/v1 \
  apis/autoscaling/v2 apis/policy/v1; do
  "$KUBE_BIN/kubectl" --kubeconfig "$run_dir/kubeconfig" get --raw "/openapi/v3/$path" | gzip -9n >"$out/${path//\//_}.json.gz"
done
ls "$out" >"$out/index.txt"
echo "OpenAPI documents of $("$KUBE_BIN/kube-apiserver" --version) written to $out"
