#!/usr/bin/env bash
# Runs a dgq command (default: train) and prints the process's memory after every epoch, to see a leak:
#
#   bench/rss-per-epoch.sh --out /tmp/rss/run --epochs 4                 # dgq train ARGS...
#   bench/rss-per-epoch.sh demo --out /tmp/rss/demo --epochs 2           # any dgq command
#   DGQ_JAVA_OPTS=-Xmx8g bench/rss-per-epoch.sh --out /tmp/rss/big ...   # compare JVM settings
#
# For every "epoch N/M:" line of the progress it prints the current RSS (VmRSS) and the peak so far (VmHWM)
# from /proc/PID/status; at the end, the peak RSS of the whole run. The trainer itself adds heap and JavaCPP
# (off-heap) figures to each epoch line when run with -Ddgq.memory=true, which this script sets.
# A flat run shows the same RSS after epoch 2 as after the last epoch; a leak grows by about the same amount
# every epoch. Linux only (/proc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
    -*|"") cmd=(train "$@") ;;
    *) cmd=("$@") ;;
esac
export DGQ_JAVA_OPTS="${DGQ_JAVA_OPTS:+$DGQ_JAVA_OPTS }-Ddgq.memory=true"

gib() { awk -v k="$1" 'BEGIN { printf "%.2f GiB", k / 1048576 }'; }
field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status" 2>/dev/null || echo 0; }

"$root/bin/dgq" --version >/dev/null # builds only if the sources changed
fifo="$(mktemp -u)"
mkfifo "$fifo"
trap 'rm -f "$fifo"' EXIT
# bin/dgq execs java, so $! is the JVM's pid.
DGQ_SKIP_BUILD=1 "$root/bin/dgq" "${cmd[@]}" 2>"$fifo" &
pid=$!
peak=0
start=$SECONDS
while IFS= read -r line; do
    printf '%s\n' "$line"
    hwm="$(field VmHWM "$pid")"
    [[ "${hwm:-0}" -gt "$peak" ]] && peak="$hwm"
    if [[ "$line" == *" epoch "*/*": "* ]]; then
        printf 'rss-per-epoch: %4d s  RSS %s  peak %s\n' "$((SECONDS - start))" "$(gib "$(field VmRSS "$pid")")" \
            "$(gib "$peak")"
    fi
done <"$fifo"
rc=0
wait "$pid" || rc=$?
printf 'rss-per-epoch: done in %d s (exit %d); peak RSS (last VmHWM seen) %s\n' "$((SECONDS - start))" "$rc" \
    "$(gib "$peak")"
exit "$rc"
