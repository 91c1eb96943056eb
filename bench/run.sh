#!/usr/bin/env bash
# Builds the CLI (cli and the modules below it, tests skipped) and runs `dgq bench` from a private copy:
#   bench/run.sh                 full default run (about 6-8 minutes on 2 cores)
#   bench/run.sh --quick         about 1 minute
#   bench/run.sh --help          every option
# Needs a JDK >= 25: JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

version_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" ]]; then
        v="$(version_of "$candidate")"
        if [[ "${v%%.*}" =~ ^[0-9]+$ && "${v%%.*}" -ge 25 ]]; then jdk="$candidate"; break; fi
    fi
done
if [[ -z "$jdk" ]]; then
    echo "bench/run.sh: no JDK >= 25 found (set JAVA_HOME; on Debian/Ubuntu e.g. install temurin-25-jdk)" >&2
    exit 2
fi
export JAVA_HOME="$jdk"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

mvn -B -q -pl cli -am package -DskipTests
# Run from a private copy of dgq.jar and its lib/ (the manifest's class path is relative to the jar), so
# that a rebuild during the run cannot change what the forked benchmark JVMs load.
snap="$(mktemp -d "${TMPDIR:-/tmp}/dgq-bench.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
cp -r cli/target/dgq.jar cli/target/lib "$snap/"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
    --sun-misc-unsafe-memory-access=allow \
    -jar "$snap/dgq.jar" bench "$@"
