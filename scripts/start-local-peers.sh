# The preamble of every script that needs the peers (test, run-local, benchmark, update-openapi).
# provision_peers provisions them (scripts/test-peers.sh, cached after the first run) and reads
# where they are from peers.env ($KUBE_BIN, $MOTO_SERVER, $ESO_DIR, $PG_BIN, $RENDER_BIN), with
# kustomize and helm put on the PATH as the daemon's image has them.
# start_local_peers RUN_DIR starts scripts/local-peers.sh in the background, sets $peers to its
# pid and returns once every peer answers; it exits if they do not start. The caller's EXIT trap
# stops them: kill "$peers".

provision_peers() {
  bash scripts/test-peers.sh
  # shellcheck source=/dev/null
  . "${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}/peers.env"
  export PATH="$RENDER_BIN:$PATH"
}

start_local_peers() {
  local run_dir="$1"
  # a ready file left by an earlier run must not pass for this one's
  rm -f "$run_dir/ready"
  bash scripts/local-peers.sh "$run_dir" &
  peers=$!
  until [ -f "$run_dir/ready" ]; do
    kill -0 "$peers" 2>/dev/null || { echo "the local peers did not start; see $run_dir/*.log" >&2; exit 1; }
    sleep 0.5
  done
}
