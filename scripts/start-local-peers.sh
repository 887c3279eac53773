# Sourced by the scripts that need the local peers for their own run (run-local, benchmark,
# update-openapi). start_local_peers RUN_DIR starts scripts/local-peers.sh in the background,
# sets $peers to its pid and returns once every peer answers; it exits if they do not start.
# The caller's EXIT trap stops them: kill "$peers".

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
