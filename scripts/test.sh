#!/usr/bin/env bash
# Runs every test: provisions the real peers (cached after the first run), then the Maven build,
# whose tests start etcd, kube-apiserver and moto_server once per test JVM.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-peers.sh
mvn -B verify "$@"
