#!/usr/bin/env bash
# Starts the local peers on free loopback ports and keeps them running in the foreground:
#   etcd + kube-apiserver   client-certificate authentication (user in system:masters), RBAC on
#   kube-controller-manager,
#   kube-scheduler, kwok    so workloads roll: one fake node (scripts/kwok-node.yaml) on which
#                           every pod runs and is ready at once
#   external-secrets        the External Secrets Operator, its CRDs installed, reading AWS
#                           Secrets Manager at moto_server: ExternalSecrets become Secrets
#   moto_server             AWS APIs
# Writes into RUN_DIR: kubeconfig, peers.properties (addresses), one log per peer, and the file
# `ready` once every peer answers. Stops every peer on SIGTERM/SIGINT, when one of them dies, or
# when the process that started it (the test JVM, the run script) is gone.
#
# usage: scripts/local-peers.sh RUN_DIR      (run scripts/test-peers.sh first)
set -euo pipefail

RUN_DIR="${1:?usage: local-peers.sh RUN_DIR}"
CACHE="${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}"
PARENT="${PEERS_PARENT_PID:-$PPID}"
STARTUP_TIMEOUT="${PEERS_STARTUP_TIMEOUT:-180}"

log() { printf '[local-peers] %s\n' "$*" >&2; }
[ -f "$CACHE/peers.env" ] || { log "no $CACHE/peers.env: run scripts/test-peers.sh first"; exit 2; }
# shellcheck source=/dev/null
. "$CACHE/peers.env"

mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
PKI="$RUN_DIR/pki"
KWOK_NODE="$(cd "$(dirname "$0")" && pwd)/kwok-node.yaml"
pids=()

# Stops the peers newest first, so kube-apiserver goes before the etcd it writes to.
stop() {
  trap - TERM INT EXIT
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$RUN_DIR/ready"
}
trap 'stop; exit 0' TERM INT
trap stop EXIT

free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# A CA, the apiserver's serving certificate, a client certificate for an administrator in
# system:masters, and the key pair that signs service-account tokens.
make_pki() {
  mkdir -p "$PKI"
  cd "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=treum-gitops-test-ca" \
    -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile server.ext -out server.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=treum-gitops-admin" \
    -keyout client.key -out client.csr 2>/dev/null
  openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  cd - >/dev/null
}

write_kubeconfig() {
  local url="$1" b64="base64 -w0"
  cat >"$RUN_DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $url
    certificate-authority-data: $($b64 "$PKI/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $($b64 "$PKI/client.crt")
    client-key-data: $($b64 "$PKI/client.key")
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
EOF
}

start() {
  local name="$1"; shift
  "$@" >"$RUN_DIR/$name.log" 2>&1 &
  pids+=($!)
}

# Waits until the command succeeds; fails when a peer dies or the timeout passes.
await() {
  local what="$1"; shift
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    check_alive
    [ $SECONDS -lt $deadline ] || { log "$what not ready after ${STARTUP_TIMEOUT}s"; exit 1; }
    sleep 0.5
  done
}

check_alive() {
  local i=0
  for name in etcd kube-apiserver moto_server kube-controller-manager kube-scheduler kwok external-secrets; do
    [ $i -lt ${#pids[@]} ] || return 0
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      log "$name exited; last lines of $RUN_DIR/$name.log:"
      tail -n 30 "$RUN_DIR/$name.log" >&2
      exit 1
    fi
    i=$((i + 1))
  done
}

# Controllers, a scheduler and one kwok node, so Deployments create ReplicaSets and Pods that get
# scheduled, run and become ready, as in a cluster (kwok fakes the kubelet; no container runs).
start_workload_peers() {
  local kc="$RUN_DIR/kubeconfig"
  start kube-controller-manager "$KUBE_BIN/kube-controller-manager" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=false --bind-address=127.0.0.1 --secure-port=0 --controllers='*'
  start kube-scheduler "$KUBE_BIN/kube-scheduler" --kubeconfig="$kc" --authentication-kubeconfig="$kc" \
    --authorization-kubeconfig="$kc" --leader-elect=false --secure-port=0
  start kwok "$KUBE_BIN/kwok" --kubeconfig="$kc" --config="$KUBE_BIN/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=10.244.0.1 --cidr=10.244.0.1/16
  await kwok-node "$KUBE_BIN/kubectl" --kubeconfig="$kc" apply -f "$KWOK_NODE"
  await kwok-node "$KUBE_BIN/kubectl" --kubeconfig="$kc" wait --for=condition=Ready node/kwok-node-0 --timeout=2s
  start_external_secrets "$kc"
}

# The operator's controller alone (no webhook, no certificate controller), with AWS at moto_server
# and moto's credentials, as IRSA would give them in EKS.
start_external_secrets() {
  local kc="$1" moto="http://127.0.0.1:$moto_port"
  "$KUBE_BIN/kubectl" --kubeconfig="$kc" apply --server-side -f "$ESO_DIR/crds" >"$RUN_DIR/external-secrets-crds.log"
  await external-secrets-crds "$KUBE_BIN/kubectl" --kubeconfig="$kc" wait --for=condition=Established \
    crd/externalsecrets.external-secrets.io crd/secretstores.external-secrets.io --timeout=2s
  start external-secrets env KUBECONFIG="$kc" AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
    AWS_REGION=eu-west-1 AWS_SECRETSMANAGER_ENDPOINT="$moto" AWS_STS_ENDPOINT="$moto" \
    "$ESO_DIR/external-secrets" --metrics-addr=127.0.0.1:0 --enable-leader-election=false \
    --store-requeue-interval=10s --loglevel=info
}

main() {
  rm -rf "$RUN_DIR/ready" "$RUN_DIR/etcd-data" "$PKI"
  make_pki
  read -r etcd_client etcd_peer kube_port moto_port <<<"$(free_ports 4)"

  start etcd "$KUBE_BIN/etcd" --name=local --data-dir="$RUN_DIR/etcd-data" \
    --listen-client-urls="http://127.0.0.1:$etcd_client" --advertise-client-urls="http://127.0.0.1:$etcd_client" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer" \
    --initial-cluster="local=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --log-level=warn
  start kube-apiserver "$KUBE_BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_client" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$kube_port" \
    --cert-dir="$PKI" --tls-cert-file="$PKI/server.crt" --tls-private-key-file="$PKI/server.key" \
    --client-ca-file="$PKI/ca.crt" --authorization-mode=RBAC \
    --service-cluster-ip-range=10.0.0.0/24 \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --disable-admission-plugins=ServiceAccount --allow-privileged=true
  start moto_server "$MOTO_SERVER" -H 127.0.0.1 -p "$moto_port"

  local url="https://127.0.0.1:$kube_port"
  write_kubeconfig "$url"
  await kube-apiserver curl -fsS --cacert "$PKI/ca.crt" --cert "$PKI/client.crt" --key "$PKI/client.key" "$url/readyz"
  await moto_server curl -fsS "http://127.0.0.1:$moto_port/moto-api/"
  # PEERS_WORKLOADS=0: the API server alone, as the benchmark wants it
  if [ "${PEERS_WORKLOADS:-1}" != 0 ]; then start_workload_peers; fi
  cat >"$RUN_DIR/peers.properties" <<EOF
kube.url=$url
kube.kubeconfig=$RUN_DIR/kubeconfig
moto.url=http://127.0.0.1:$moto_port
postgres.bin=$PG_BIN
python=$(dirname "$MOTO_SERVER")/python
EOF
  touch "$RUN_DIR/ready"
  local workloads="with controllers, scheduler and a kwok node"
  [ "${PEERS_WORKLOADS:-1}" != 0 ] || workloads="alone"
  log "kube-apiserver $url $workloads; moto_server http://127.0.0.1:$moto_port (kubeconfig: $RUN_DIR/kubeconfig)"

  while kill -0 "$PARENT" 2>/dev/null; do
    check_alive
    sleep 1 &
    wait $! || true
  done
}

main
