#!/usr/bin/env bash
# Builds Elves and runs a benchmark against the real RabbitMQ, printing its figures.
#   bench/run.sh                      realtime latency, throughput and fan-out (RealtimeBench)
#   bench/run.sh RealtimeBench --calls 2000 --fanout 100
#   bench/run.sh QueueBench           1,000-task queue (chain + fan-out) over 20 agents
#   bench/run.sh CronBench            1,000 crons every 5 s over 20 agents: firing delay, fail-over
#   bench/run.sh AuthBench            what checking a signed request's key and grants costs
#   bench/run.sh CastBench            what a confirmed, persistent, mandatory rpc.cast costs
#   bench/run.sh ScaleOutBench        one process per component instance: realtime throughput with one
#                                     Scheduler and OpenAPI against two, then each component's fail-over gap
#   bench/run.sh BeatSharingBench     what sharing agents' beats between Heartbeat instances costs
#   bench/run.sh WatcherBench         realtime p50/p99 and throughput with the Watcher's tap off, on,
#                                     the Watcher in the same JVM and in a process of its own (idle
#                                     class), and how fast a Watcher records a backlog of tap messages
# Needs RabbitMQ on 127.0.0.1:5672 (./elves setup starts it).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-RealtimeBench}
[ $# -gt 0 ] && shift
cd "$here"
mvn -q -B -DskipTests install >&2
mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$here/bench/target/classpath.txt" >&2
cp=$(cat "$here/bench/target/classpath.txt")
exec java -Xmx512m -cp "bench/target/classes:$cp" "org.elves.bench.$bench" "$@"
