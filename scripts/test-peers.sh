#!/usr/bin/env bash
# Installs or builds every real peer the tests and the local run talk to, and caches them outside
# the work tree. Idempotent: with a warm cache it only checks and prints versions.
#
#   kube-apiserver, kubectl,
#   kube-controller-manager,
#   kube-scheduler            built from k8s.io/kubernetes' Go module (see build_kubernetes)
#   kwok                      built from sigs.k8s.io/kwok: fake nodes whose pods run and get ready
#   etcd                      built from go.etcd.io/etcd/server/v3
#   external-secrets          the External Secrets Operator's controller and CRDs, built from
#                             github.com/external-secrets/external-secrets
#   kustomize, helm           the renderers the daemon ships, built from sigs.k8s.io/kustomize/kustomize/v5
#                             and helm.sh/helm/v3
#   moto_server               moto[server] from PyPI in a virtualenv
#   prometheus, promtool,
#   postgresql, git, sshd,
#   chromium                  Debian packages
#
# Exits non-zero and names the peer when anything fails; it never skips a peer.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
KWOK_VERSION="${KWOK_VERSION:-0.8.0}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
ESO_VERSION="${ESO_VERSION:-0.16.2}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-5.8.2}"
HELM_VERSION="${HELM_VERSION:-3.21.4}"
CACHE="${TREUM_PEERS_CACHE:-$HOME/.cache/treum-gitops}"
K8S_BIN="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
MOTO_VENV="$CACHE/moto-${MOTO_VERSION}"
ESO_DIR="$CACHE/external-secrets-${ESO_VERSION}"
RENDER_BIN="$CACHE/render/kustomize-${KUSTOMIZE_VERSION}-helm-${HELM_VERSION}"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/cache"

log() { printf '[test-peers] %s\n' "$*" >&2; }
fail() { log "FAILED: $1"; exit 1; }

# Runs a step; on failure names the peer and shows the tail of its log.
step() {
  local peer="$1"; shift
  local out="$CACHE/logs/$peer.log"
  local started=$SECONDS
  mkdir -p "$CACHE/logs"
  if ! "$@" >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    fail "$peer (full log: $out)"
  fi
  [ $((SECONDS - started)) -lt 2 ] || log "$peer done in $((SECONDS - started))s"
}

# k8s.io/kubernetes replaces its staging modules (k8s.io/api, k8s.io/client-go, ...) with local
# paths, so it cannot be built with `go install`. A throwaway module requires it and points each
# staging module at its published v0.<minor>.<patch>; the go and godebug lines are copied from
# its own go.mod so the binaries behave as an upstream build does.
write_kubernetes_module() {
  local dir="$1" gomod staging
  gomod=$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$gomod" ] || { echo "no go.mod for k8s.io/kubernetes@v${K8S_VERSION}"; return 1; }
  staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")
  {
    echo "module treum.ai/test-peers/kubernetes"
    grep -E '^(go|godebug) ' "$gomod"
    echo "require k8s.io/kubernetes v${K8S_VERSION}"
    for m in $staging; do echo "replace $m => $m v0.${K8S_VERSION#1.}"; done
  } >"$dir/go.mod"
}

build_kubernetes() {
  local dir="$CACHE/build/kubernetes-$K8S_VERSION" minor
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  mkdir -p "$dir" "$K8S_BIN"
  write_kubernetes_module "$dir"
  local ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean"
  done
  for cmd in "$@"; do
    (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$K8S_BIN/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd")
    mv "$K8S_BIN/$cmd.tmp" "$K8S_BIN/$cmd"
  done
}

build_etcd() {
  local dir="$CACHE/build/etcd-$ETCD_VERSION"
  mkdir -p "$dir" "$K8S_BIN"
  printf 'module treum.ai/test-peers/etcd\n\ngo 1.25\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' \
    "$ETCD_VERSION" >"$dir/go.mod"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$K8S_BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$K8S_BIN/etcd.tmp" "$K8S_BIN/etcd"
}

# kwok's own "fast" stages: a node is ready at once, a pod is scheduled, running and ready at once;
# except that a pod labelled kwok.treum.ai/never-ready stays pending, so tests can make a rollout stall
build_kwok() {
  local dir="$CACHE/build/kwok-$KWOK_VERSION" src stages="$K8S_BIN/kwok-stages.yaml.tmp"
  mkdir -p "$dir" "$K8S_BIN"
  printf 'module treum.ai/test-peers/kwok\n\ngo 1.25\n\nrequire sigs.k8s.io/kwok v%s\n' "$KWOK_VERSION" >"$dir/go.mod"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$K8S_BIN/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok)
  src=$(cd "$dir" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  : >"$stages"
  for f in "$src"/node/fast/node-initialize.yaml "$src"/node/heartbeat/node-heartbeat.yaml "$src"/pod/fast/pod-*.yaml; do
    printf -- '---\n' >>"$stages"
    if [ "$(basename "$f")" = pod-ready.yaml ]; then
      awk '{ print } /^    matchExpressions:$/ && !done {
        print "    - key: '"'"'.metadata.labels[\"kwok.treum.ai/never-ready\"]'"'"'"
        print "      operator: '"'"'DoesNotExist'"'"'"; done = 1 }' "$f" >>"$stages"
    else
      cat "$f" >>"$stages"
    fi
  done
  grep -q 'kwok.treum.ai/never-ready' "$stages" || { echo "kwok's pod-ready stage has changed shape"; return 1; }
  mv "$stages" "$K8S_BIN/kwok-stages.yaml"
  mv "$K8S_BIN/kwok.tmp" "$K8S_BIN/kwok"
}

# The operator's module replaces one dependency in its go.mod, which a requiring module would
# ignore, so it is built in a copy of its own module; its CRDs come from the same source.
build_external_secrets() {
  local dir="$CACHE/build/external-secrets-$ESO_VERSION" src
  src=$(go mod download -json "github.com/external-secrets/external-secrets@v${ESO_VERSION}" \
    | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$src" ] || { echo "no source for external-secrets v${ESO_VERSION}"; return 1; }
  rm -rf "$dir" "$ESO_DIR"
  mkdir -p "$dir" "$ESO_DIR/crds"
  cp -r "$src/." "$dir/"
  chmod -R u+w "$dir"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$ESO_DIR/external-secrets.tmp" .)
  cp "$dir"/config/crds/bases/*external-secrets.io_*.yaml "$ESO_DIR/crds/"
  mv "$ESO_DIR/external-secrets.tmp" "$ESO_DIR/external-secrets"
  rm -rf "$dir"
}

# A Go program built from its module at a pinned version into $RENDER_BIN.
build_go_program() {
  local name="$1" module="$2" version="$3" package="$4" ldflags="-s -w ${5:-}" dir="$CACHE/build/$1-$3"
  mkdir -p "$dir" "$RENDER_BIN"
  printf 'module treum.ai/test-peers/%s\n\ngo 1.26\n\nrequire %s v%s\n' "$name" "$module" "$version" >"$dir/go.mod"
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$RENDER_BIN/$name.tmp" "$package")
  mv "$RENDER_BIN/$name.tmp" "$RENDER_BIN/$name"
}

install_moto() {
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  touch "$MOTO_VENV/.complete"
}

install_debian() {
  local missing=()
  command -v promtool >/dev/null && command -v prometheus >/dev/null || missing+=(prometheus)
  command -v pg_dump >/dev/null && [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v git >/dev/null || missing+=(git)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  # headless Chromium renders the status page in its test
  command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # the Debian prometheus package starts a system service; tests run their own servers
  if command -v systemctl >/dev/null; then systemctl disable --now prometheus 2>/dev/null || true; fi
  if command -v service >/dev/null; then service prometheus stop 2>/dev/null || true; fi
  if command -v systemctl >/dev/null; then systemctl disable --now ssh 2>/dev/null || true; fi
}

# Directory of the PostgreSQL server binaries (initdb, postgres), which Debian keeps off PATH.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

main() {
  mkdir -p "$CACHE"
  command -v go >/dev/null || fail "go is not installed (needed to build kube-apiserver and etcd)"
  command -v python3 >/dev/null || fail "python3 is not installed (needed for moto_server)"

  local want=()
  for cmd in kube-apiserver kubectl kube-controller-manager kube-scheduler; do
    [ -x "$K8S_BIN/$cmd" ] || want+=("$cmd")
  done
  if [ ${#want[@]} -gt 0 ]; then
    log "building ${want[*]} v$K8S_VERSION from Go modules (about 7 minutes on 2 cores)"
    step kubernetes build_kubernetes "${want[@]}"
  fi
  if [ ! -x "$K8S_BIN/kwok" ] || ! grep -qs 'kwok.treum.ai/never-ready' "$K8S_BIN/kwok-stages.yaml"; then
    log "building kwok v$KWOK_VERSION from Go modules"
    step kwok build_kwok
  fi
  if [ ! -x "$K8S_BIN/etcd" ]; then
    log "building etcd v$ETCD_VERSION from Go modules"
    step etcd build_etcd
  fi
  if [ ! -x "$ESO_DIR/external-secrets" ]; then
    log "building external-secrets v$ESO_VERSION from Go modules"
    step external-secrets build_external_secrets
  fi
  if [ ! -x "$RENDER_BIN/kustomize" ]; then
    log "building kustomize v$KUSTOMIZE_VERSION from Go modules"
    step kustomize build_go_program kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" \
      sigs.k8s.io/kustomize/kustomize/v5
  fi
  if [ ! -x "$RENDER_BIN/helm" ]; then
    log "building helm v$HELM_VERSION from Go modules"
    step helm build_go_program helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm \
      "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION"
  fi
  if [ ! -f "$MOTO_VENV/.complete" ]; then
    log "installing moto[server] $MOTO_VERSION"
    step moto install_moto
  fi
  step debian install_debian

  cat >"$CACHE/peers.env" <<EOF
KUBE_BIN=$K8S_BIN
MOTO_SERVER=$MOTO_VENV/bin/moto_server
ESO_DIR=$ESO_DIR
RENDER_BIN=$RENDER_BIN
PG_BIN=$(pg_bin)
EOF
  log "kube-apiserver: $("$K8S_BIN/kube-apiserver" --version)"
  log "kubectl:        $("$K8S_BIN/kubectl" version --client 2>/dev/null | head -n 1)"
  log "controllers:    $("$K8S_BIN/kube-controller-manager" --version), scheduler $("$K8S_BIN/kube-scheduler" --version)"
  log "kwok:           $("$K8S_BIN/kwok" --version 2>&1 | head -n 1)"
  log "etcd:           $("$K8S_BIN/etcd" --version | head -n 1)"
  log "external-secrets: v$ESO_VERSION ($(ls "$ESO_DIR/crds" | wc -l) CRDs)"
  log "kustomize:      $("$RENDER_BIN/kustomize" version), helm $("$RENDER_BIN/helm" version --short)"
  log "moto_server:    $("$MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)')"
  # Debian's launcher scripts may warn on stderr (its /dev/shm size check); the version is on stdout
  log "chromium:       $(chromium --version 2>/dev/null | head -n 1)"
  log "prometheus:     $(prometheus --version 2>&1 | head -n 1)"
  log "promtool:       $(promtool --version 2>&1 | head -n 1)"
  log "postgresql:     $("$(pg_bin)/postgres" --version)"
  log "git:            $(git --version)"
  log "sshd:           $(/usr/sbin/sshd -V 2>&1 | head -n 1)"
  log "peers ready in $CACHE (paths in $CACHE/peers.env)"
}

main "$@"
