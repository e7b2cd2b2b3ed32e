#!/usr/bin/env bash
# Installs and starts what Elves needs on Debian.
#   scripts/setup-debian.sh               what running needs (`./elves standalone`, the CLI): a JDK 17+,
#                                         Maven (the launcher builds), Python 3 with python3-thrift (the
#                                         example and SDK apps) and RabbitMQ, which it starts when it is down
#   scripts/setup-debian.sh --for-tests   also what only the tests need (`./elves test`, CI): Debian's
#                                         thrift-compiler (to check the generated code), Node (the admin
#                                         page's signing test), Chromium (its headless browser test) and,
#                                         under build/tools, @redocly/cli (the OpenAPI document's linter)
# Safe to run again: it installs only what is missing.
set -euo pipefail

for_tests=false
case "${1:-}" in
  --for-tests) for_tests=true ;;
  "") ;;
  *) echo "usage: $0 [--for-tests]" >&2; exit 2 ;;
esac

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v python3 >/dev/null || need+=(python3)
# the Python processor SDK (apps/sdk/python/processor) needs Debian's Thrift library for python3
/usr/bin/python3 -c "import thrift" 2>/dev/null || python3 -c "import thrift" 2>/dev/null || need+=(python3-thrift)
command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
if $for_tests; then
  command -v thrift >/dev/null || need+=(thrift-compiler)
  # Node runs the admin page's signing test (routes AdminPageScriptTest)
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  # headless Chromium for the admin page's browser test (integration-tests AdminPageTest)
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
fi

if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "elves setup: installing ${need[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if $for_tests; then
  # routes OpenApiDocumentTest lints the generated /api/v2/openapi.json with it
  tools="$(cd "$(dirname "$0")/.." && pwd)/build/tools"
  redocly_version=2.77.0
  if [ "$("$tools/node_modules/.bin/redocly" --version 2>/dev/null)" != "$redocly_version" ]; then
    echo "elves setup: installing @redocly/cli $redocly_version under build/tools" >&2
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" >&2
  fi
fi

rabbit_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
if ! rabbit_up; then
  echo "elves setup: starting RabbitMQ"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 90); do
    rabbit_up && break
    sleep 1
  done
  rabbit_up || { echo "elves setup: RabbitMQ did not start on 127.0.0.1:5672" >&2; exit 1; }
  # the port opens before the broker accepts logins; give the broker its boot time
  for _ in $(seq 1 60); do
    rabbitmqctl -q await_startup >/dev/null 2>&1 && break
    sleep 1
  done
fi
