#!/usr/bin/env bash
# kernels/gpu-check.sh - for a machine with an NVIDIA GPU and the CUDA 13
# toolkit: builds everything, runs all tests (cuda_device_cases runs the
# kernels on the GPU instead of being skipped) and prints the GPU timing table
# for docs/kernels.md.   Usage: kernels/gpu-check.sh [build-dir]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/build}"
"$here/ci.sh" "$build"
if [ ! -x "$build/test_cuda" ]; then
    echo "gpu-check: no CUDA build (nvcc missing?)" >&2
    exit 1
fi
echo "== GPU tests"
"$build/test_cuda" "$here/../engine/src/main/resources/org/dgquantum/engine/conformance/pqc_cases.json" | tail -n 3
echo "== GPU timings (paste into docs/kernels.md)"
"$build/bench_cuda" 20
