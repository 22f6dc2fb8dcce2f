#!/usr/bin/env bash
# gateway-service throughput and added latency, in one run: the same closed-loop load (N connections) sent to a
# service directly and through the gateway, in alternating rounds. The gateway runs from its executable jar in a JVM
# of its own with its production filters (JWT check, Redis rate limiter, circuit breaker, headers); the "service" is
# a small Reactor Netty server in the bench JVM. Prints JSON and a SUMMARY line.
# Target: >= 5,000 req/s through the gateway, p99 added <= 5 ms.
#
#   bench/gateway.sh [--connections=64] [--latency-connections=4] [--rounds=3] [--round-seconds=10] [--warmup-seconds=60] [--heap=512m] [--rate-limit=false]
#
# Needs Redis on 127.0.0.1:6379 (a test database is claimed as the tests do). Offline Maven: MAVEN_ARGS=-o
# bench/gateway.sh …  Logs: bench/target/gateway/
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
work=bench/target/gateway

./mvnw -B -q -ntp -pl gateway-service,bench -am package -Dmaven.test.skip=true -Pbench-exec-jar

mkdir -p "$work"
echo "uptime before: $(uptime)" >&2
"$java" -Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.GatewayBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" \
  --gateway-jar="$(ls gateway-service/target/gateway-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
echo "uptime after: $(uptime)" >&2
