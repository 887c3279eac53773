#!/usr/bin/env bash
# Runs every test: provisions the real peers (cached after the first run), then the Maven build,
# whose tests start etcd, kube-apiserver and moto_server once per test JVM.
#   scripts/test.sh --fast   only the tests that need no peer (JUnit tag "peer" excluded): the
#                            pure core and adapters against stubs, in about a minute, with no
#                            peer provisioned or started
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --fast ]; then
  shift
  exec mvn -B test -DexcludedGroups=peer "$@"
fi
# shellcheck source=scripts/start-local-peers.sh
. scripts/start-local-peers.sh
provision_peers
mvn -B verify "$@"
