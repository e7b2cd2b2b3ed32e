#!/usr/bin/env bash
# Installs and starts what Elves needs on Debian: a JDK 17+, Maven, Python 3 (SDK) with python3-thrift, Debian's
# thrift-compiler (to check the generated code), Chromium (the admin page's headless browser test) and RabbitMQ,
# which it starts when it is down.
# Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v python3 >/dev/null || need+=(python3)
command -v thrift >/dev/null || need+=(thrift-compiler)
# the Python processor SDK (apps/sdk/python/processor) needs Debian's Thrift library for python3
/usr/bin/python3 -c "import thrift" 2>/dev/null || python3 -c "import thrift" 2>/dev/null || need+=(python3-thrift)
command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
# Node runs the admin page's signing test (routes AdminPageScriptTest)
command -v node >/dev/null || need+=(nodejs)
# headless Chromium for the admin page's browser test (integration-tests AdminPageTest)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "elves setup: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
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
