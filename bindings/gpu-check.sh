#!/usr/bin/env bash
# bindings/gpu-check.sh - for a machine with an NVIDIA GPU, a CUDA 13 driver (R580+), the CUDA 13
# toolkit (nvcc), JDK 25 and Maven. Fails loudly (non-zero exit, no table) if any check fails.
#   1. kernels/gpu-check.sh: C++ build, ctest with the device tests, GPU timing table of the raw kernels
#      (skip with --skip-kernels)
#   2. builds engine + kernels (jar with libdgq_cuda.so and the fatbin) and runs the bindings tests with
#      -Ddgq.test.requireGpu=true: CudaBackendGpuTest must run (not be skipped) and pass
#   3. GpuCheck: CUDA vs native CPU on random circuits, then one Markdown table (device, driver,
#      us per batch per method and size for cuda / native-cpu / java, speed-up) to paste into docs/.
#   4. LayerCheck: the whole quantum layer on the GPU (cuBLAS through JCublas + the kernels, ND4J on the CPU)
#      against the Java layer (float32, tolerance 1e-4), then ms per batch (B = 32, 256, 4096; d = 256,
#      n = 8) for the whole layer, the host path with the circuit on the GPU, and java. Needs cuBLAS 12
#      (libcublas.so.12) on the library path: JCublas 12.6 links it; without it the check fails, naming that.
# Usage: bindings/gpu-check.sh [--skip-kernels]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

if [ -z "${JAVA_HOME:-}" ]; then
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*; do
        if [ -x "$j/bin/java" ]; then export JAVA_HOME="$j"; break; fi
    done
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

if [ "${1:-}" != "--skip-kernels" ]; then
    echo "== kernels: C++ tests on the device"
    "$root/kernels/gpu-check.sh"
fi

echo "== driver"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true

echo "== build (engine, kernels) and bindings tests on the GPU"
mvn -B -q install -DskipTests -pl engine,kernels
log="$(mktemp)"
cp="$(mktemp)"
trap 'rm -f "$log" "$cp"' EXIT
if ! mvn -B test -pl bindings -Ddgq.test.requireGpu=true >"$log" 2>&1; then
    tail -n 100 "$log" >&2
    echo "gpu-check: FAILED: bindings tests on the GPU (log above)" >&2
    exit 1
fi
grep -E "Tests run:" "$log"

echo "== CUDA vs CPU on random circuits, then timings"
# GpuCheck lives in bench (with the other measurements); it needs bench's modules installed.
mvn -B -q install -DskipTests -pl bench -am
mvn -B -q dependency:build-classpath -pl bench -Dmdep.outputFile="$cp" >/dev/null
"$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
    -cp "$root/bench/target/classes:$(cat "$cp")" org.dgquantum.bench.GpuCheck

echo "== the whole quantum layer on the GPU against the Java layer, then timings"
"$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector --sun-misc-unsafe-memory-access=allow \
    -cp "$root/bench/target/classes:$(cat "$cp")" org.dgquantum.bench.LayerCheck
