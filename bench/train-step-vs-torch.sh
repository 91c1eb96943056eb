#!/usr/bin/env bash
# One training step of MobileNetV2 x0.5 (Adam, 2 classes, float32, grayscale input) in this project (DL4J on ND4J
# with the oneDNN helpers and the project's vector kernels: bench/src/.../StepBenchmark.java) and in PyTorch
# (bench/train_step_torch.py, torchvision's mobilenet_v2), run alternately so that both see the same machine:
#
#   bench/train-step-vs-torch.sh                       # 64x64, batch 32, 2 threads, 3 rounds
#   bench/train-step-vs-torch.sh --size 128 --rounds 5
#   bench/train-step-vs-torch.sh --threads 1
#
# Options: --size PX (64), --batch N (32), --threads N (the core count), --rounds N (3), --steps N (10 timed
# steps per run), --warmup N (5 untimed steps per run). PyTorch comes from Debian's python3-torch and
# python3-torchvision (apt-get install python3-torch python3-torchvision) for /usr/bin/python3; without it only the
# project is measured. Ends with the medians of s/step over the rounds and the line
#   ratio project/pytorch X.XX
# A benchmark, not a test: quote ratios from one run; other jobs on the machine change both sides.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size=64 batch=32 threads="$(nproc)" rounds=3 steps=10 warmup=5
usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
bad() { echo "train-step-vs-torch.sh: $1" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --size|--batch|--threads|--rounds|--steps|--warmup)
            [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || bad "$1 needs a positive whole number, got '${2:-}'"
            declare "${1#--}=$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) bad "unknown option '$1' (see --help)" ;;
    esac
done

"$root/bin/dgq" --version >/dev/null # builds cli/target/dgq.jar if the sources changed
java="$("$root/bin/dgq" java-home)/bin/java"
# Run from a private copy of the jars, so that a rebuild during the run cannot change what runs.
snap="$(mktemp -d "${TMPDIR:-/tmp}/dgq-step.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
cp -r "$root/cli/target/dgq.jar" "$root/cli/target/lib" "$snap/"

python=/usr/bin/python3
torch=1
"$python" -c 'import torch, torchvision' 2>/dev/null || torch=0
[[ $torch == 1 ]] || echo "pytorch: not installed for $python (apt-get install python3-torch python3-torchvision); measuring the project only"

seconds() { sed -n 's/.*: \([0-9.]*\) s\/step.*/\1/p' | head -n 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

project_times=() torch_times=()
echo "MobileNetV2 x0.5, ${size}x${size} grayscale, batch $batch, Adam, $threads threads, $rounds rounds of $steps steps after $warmup"
for ((r = 1; r <= rounds; r++)); do
    # The flags of bin/dgq (native access, Vector API, JavaCPP on Java 24+, passive OpenMP waits).
    line="$(OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" MALLOC_ARENA_MAX=2 \
        "$java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
        --sun-misc-unsafe-memory-access=allow -cp "$snap/dgq.jar:$snap/lib/*" org.dgquantum.bench.StepBenchmark \
        --models mobilenetv2 --helpers on --size "$size" --batch "$batch" --steps "$steps" --warmup "$warmup" \
        2>/dev/null | grep 's/step')"
    echo "round $r project: $line"
    project_times+=("$(seconds <<<"$line")")
    if [[ $torch == 1 ]]; then
        line="$(OMP_NUM_THREADS="$threads" "$python" "$root/bench/train_step_torch.py" --size "$size" --batch "$batch" \
            --threads "$threads" --steps "$steps" --warmup "$warmup")"
        echo "round $r pytorch: $line"
        torch_times+=("$(seconds <<<"$line")")
    fi
done
p="$(printf '%s\n' "${project_times[@]}" | median)"
echo "median project: $p s/step ($(awk -v s="$p" -v b="$batch" 'BEGIN { printf "%.1f", b / s }') images/s)"
if [[ $torch == 1 ]]; then
    t="$(printf '%s\n' "${torch_times[@]}" | median)"
    echo "median pytorch: $t s/step ($(awk -v s="$t" -v b="$batch" 'BEGIN { printf "%.1f", b / s }') images/s)"
    awk -v p="$p" -v t="$t" 'BEGIN { printf "ratio project/pytorch %.2f\n", p / t }'
else
    echo "ratio project/pytorch n/a (no pytorch)"
fi
