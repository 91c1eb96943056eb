#!/usr/bin/env bash
# Builds the engine and bench modules and runs the benchmark report (the same as `dgq bench`):
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

cp_file="$root/bench/target/bench.classpath"
mvn -B -q -pl bench -am install -DskipTests
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >/dev/null
# Run from a private copy of the class path, so that a rebuild during the run (the engine jar in
# ~/.m2, bench/target/classes) cannot change what the forked benchmark JVMs load.
snap="$(mktemp -d "${TMPDIR:-/tmp}/dgq-bench.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
cp -r bench/target/classes "$snap/classes"
cp_list="$snap/classes"
IFS=: read -r -a jars < "$cp_file" || true  # no newline at the end of the file
for jar in "${jars[@]}"; do
    [[ -n "$jar" ]] || continue
    cp "$jar" "$snap/"
    cp_list="$cp_list:$snap/$(basename "$jar")"
done
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
    --sun-misc-unsafe-memory-access=allow \
    -cp "$cp_list" org.dgquantum.bench.BenchCommand "$@"
