#!/usr/bin/env bash
# Builds the native libraries for the Maven build (kernels/pom.xml) and installs them under
# $1/native/linux-x86_64, from where they are packaged as resources of the dgquantum-kernels jar.
# Only the shipped libraries are built here (the tests run in kernels/ci.sh), plus the test-only
# libdgq_cuda_emu.so, which stays in the build's native/ directory for the Java tests (it is not
# installed, so never packaged); the build directory is shared with ci.sh, so after one of them
# the other is incremental.
# Missing tools are not an error: the jar then carries no native code and Java falls back to the
# pure-Java backend (the bindings say why).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: package-native.sh OUTPUT_DIR}"
build="${DGQ_KERNELS_BUILD:-$here/build}"

for tool in cmake g++ make; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "dgq: SKIP native libraries: $tool not found (Debian packages: cmake g++ make)"
        exit 0
    fi
done

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
grep -E "dgq: SKIP" "$log" || true

targets=(dgq_cpu dgq_cuda_emu)
if grep -q '^DGQ_NVCC:FILEPATH=/' "$build/CMakeCache.txt"; then
    targets+=(dgq_cuda)
fi
cmake --build "$build" -j "${DGQ_JOBS:-2}" --target "${targets[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
cmake --install "$build" --prefix "$out" >/dev/null
echo "dgq: native libraries (${targets[*]}) -> $out/native/linux-x86_64 (test-only libdgq_cuda_emu.so stays in $build/native)"
