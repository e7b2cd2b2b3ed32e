#!/usr/bin/env bash
# What a newcomer's `./elves standalone` costs: time from the command to the first answered realtime
# task, the standalone JVM's memory (RSS) at start and after N realtime calls, and those calls'
# latency. It starts the standalone through the launcher, so it measures the launcher's JVM defaults;
# ELVES_JAVA_OPTS changes them exactly as for `./elves standalone`. Uses a throw-away home.
#   bench/standalone-start.sh [calls]      default 10000 calls (Python example app, 4 parallel clients)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
calls=${1:-10000}
home=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
export ELVES_HOME="$home" ELVES_API_PORT="$port"
# build (if stale) before the clock starts: a build is not part of a start
"$here/elves" --help >/dev/null
rss_mib() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }

start=$(date +%s%N)
"$here/elves" standalone --agent-ip 127.0.0.61 --agent-port $((port + 1)) --heartbeat-port $((port + 2)) \
  --scheduler-port $((port + 3)) > "$home/out.log" 2>&1 &
pid=$! # the launcher execs java: this is the standalone JVM
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$home"' EXIT
until grep -q "Ctrl-C stops everything" "$home/out.log"; do
  kill -0 $pid 2>/dev/null || { cat "$home/out.log"; exit 1; }
  sleep 0.05
done
# the banner's signed curl call runs the Python example app
url=$(sed -n "s/^ *curl -s '\\(.*\\)'$/\\1/p" "$home/out.log")
first=$(curl -s "$url")
[[ "$first" == *'"worker_flag":"1"'* ]] || { echo "first call failed: $first"; tail -n 30 "$home/out.log"; exit 1; }
end=$(date +%s%N)
echo "standalone start to first answered task: $(( (end - start) / 1000000 )) ms"
echo "JVM options: $(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ -jar .*//; s/^java //')"
echo "standalone RSS at start (after the first call): $(rss_mib $pid) MiB"

# The same call, repeated from 4 parallel clients; each call's status and time for the latency
# figures. The banner's URL is signed for 3 minutes: batches of 200 calls, each with the URL signed
# afresh (the MD5 signature of docs/api.md with the home's key).
key=$(sed -n 's/^auth_key=//p' "$home/credentials.properties")
resign() {
  python3 - "$url" "$key" <<'EOF'
import hashlib, sys, time, urllib.parse as u
url, key = sys.argv[1], sys.argv[2]
base, query = url.split('?', 1)
params = dict(u.parse_qsl(query, keep_blank_values=True))
params['timestamp'] = str(int(time.time()))
signed = '&'.join(k + '=' + v for k, v in sorted(params.items()) if k not in ('sign', 'sign_type'))
params['sign'] = hashlib.md5((u.urlsplit(base).path + '?' + signed + key).encode()).hexdigest()
print(base + '?' + u.urlencode(params, quote_via=u.quote))
EOF
}
times="$home/times"
: > "$times"
for ((done_calls = 0; done_calls < calls; done_calls += 200)); do
  batch=$(( calls - done_calls < 200 ? calls - done_calls : 200 ))
  seq 1 "$batch" | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$(resign)" >> "$times"
  echo "  after $(( done_calls + batch )) calls: RSS $(rss_mib $pid) MiB" >&2
done
failed=$(awk '$1 != 200' "$times" | wc -l)
p() { awk '{print $2}' "$times" | sort -n | awk -v q="$1" '{a[NR]=$1} END {printf "%.1f", a[int((NR - 1) * q) + 1] * 1000}'; }
echo "$calls calls, 4 parallel clients: p50 $(p 0.5) ms, p99 $(p 0.99) ms, failed $failed"
echo "standalone RSS after $calls calls (center, embedded ZooKeeper and MongoDB, one agent): $(rss_mib $pid) MiB"
kids=0
for c in $(pgrep -P $pid || true); do kids=$(( kids + $(rss_mib "$c") )); done
echo "app worker processes (children of the JVM), RSS: $kids MiB"
