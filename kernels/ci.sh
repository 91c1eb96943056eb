#!/usr/bin/env bash
# kernels/ci.sh - configure, build and test the native kernels; check the
# ptxas report (0 bytes spilled for every kernel and architecture).
#
# apt: cmake g++ make
# (Debian packages; g++ brings libgomp and libtsan.)
# Optional: the CUDA 13 toolkit (nvcc; found on PATH, $CUDA_HOME or
# /usr/local/cuda*). Without nvcc the fatbin, libdgq_cuda.so and the ptxas
# check are skipped (said below); the emulated CUDA tests always run.
#
# Usage: kernels/ci.sh [build-dir]   (default: kernels/build)
# Runs in about 1.5 minutes on 2 cores (nvcc for 4 SASS archs + PTX takes most of it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/build}"
jobs="${DGQ_JOBS:-2}"

for tool in cmake g++ make; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "kernels/ci.sh: $tool not found; install the Debian packages: cmake g++ make" >&2
        exit 1
    fi
done

start=$(date +%s)
echo "== kernels: configure ($build)"
log="$(mktemp)"
if ! cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1; then
    cat "$log"
    exit 1
fi
grep -E "dgq:" "$log" || true
rm -f "$log"
echo "== kernels: build"
cmake --build "$build" -j "$jobs"

echo "== kernels: tests"
(cd "$build" && ctest --output-on-failure -j "$jobs")

report="$build/native/ptxas_report.txt"
if [ -f "$report" ]; then
    echo "== kernels: ptxas resource report (spills fail the build)"
    cmake -DREPORT="$report" -DTABLE="$build/native/ptxas_table.md" -P "$here/../cmake/DgqCheckPtxas.cmake"
else
    echo "== kernels: SKIP ptxas spill check: no nvcc, so no CUDA build"
fi

grep -q "DGQ_HAVE_TSAN:INTERNAL=1" "$build/CMakeCache.txt" ||
    echo "== kernels: SKIP ThreadSanitizer tests (compiler cannot build -fsanitize=thread programs)"
echo "== kernels: done in $(($(date +%s) - start)) s"
