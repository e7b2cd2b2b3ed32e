#!/usr/bin/env bash
# Time from `elves standalone` to the first answered realtime task, and the standalone JVM's
# memory (RSS) after N realtime calls. Uses the built jar (./elves builds it) and a throw-away home.
#   bench/standalone-start.sh [calls]      default 1000 calls (Python example app) for the memory figure
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
calls=${1:-1000}
jar="$here/cli/target/elves.jar"
[ -f "$jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
home=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
export ELVES_HOME="$home" ELVES_API_PORT="$port"
opts="-Xmx256m -XX:+UseSerialGC -Djava.util.concurrent.ForkJoinPool.common.parallelism=4"
start=$(date +%s%N)
java $opts -jar "$jar" standalone --agent-ip 127.0.0.61 --agent-port $((port + 1)) --heartbeat-port $((port + 2)) --scheduler-port $((port + 3)) > "$home/out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$home"' EXIT
until grep -q "Ctrl-C stops everything" "$home/out.log"; do
  kill -0 $pid 2>/dev/null || { cat "$home/out.log"; exit 1; }
  sleep 0.05
done
# the banner's signed curl call (valid for 3 minutes) runs the Python example app
url=$(sed -n "s/^ *curl -s '\\(.*\\)'$/\\1/p" "$home/out.log")
curl -s "$url" | grep -q '"worker_flag":"1"' || { echo "first call failed"; exit 1; }
end=$(date +%s%N)
echo "standalone start to first answered task: $(( (end - start) / 1000000 )) ms"
# the same call, repeated from 4 parallel clients
seq 1 "$calls" | xargs -P 4 -I{} curl -s -o /dev/null "$url"
echo "standalone RSS after $calls calls (center, embedded ZooKeeper and MongoDB, one agent, heap capped 256m): $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
