# shellcheck shell=bash
# The daemon's JVM for a small machine, as scripts/run-local.sh runs it and scripts/benchmark.sh
# measures it (docs/benchmarks.md):
# - a small heap (the informer caches keep objects as JSON text) with a small young generation,
#   and two malloc arenas: under 300 MB of RSS at 5,000 managed objects;
# - the C1 compiler only: the daemon is mostly idle, and on 2 cores C2's compiling competes with
#   the kube-apiserver;
# - ChaCha20-Poly1305 first for TLS: C1 has no AES-GCM intrinsics, and in plain Java ChaCha20 costs
#   far less (a 5,000-object first sync used 5.7 CPU seconds instead of 9.4); AES-GCM stays offered.
export MALLOC_ARENA_MAX=2
LEAN_JAVA_OPTS="-XX:+UseSerialGC -Xmx128m -Xmn32m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m \
-XX:MaxDirectMemorySize=32m -Xss512k \
-Djdk.tls.client.cipherSuites=TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,\
TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,\
TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,\
TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
export LEAN_JAVA_OPTS
