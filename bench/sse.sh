#!/usr/bin/env bash
# SSE fan-out of notification-service: N concurrent SSE clients (one connection each, Reactor Netty, in the bench
# JVM) on one instance, at increasing N; conversation events produced to crm.conversation.events at a fixed rate with
# their send time in the payload; latency from send to each client's receipt (p50/p99/max) and receipts lost, per
# step. The client hosts the embedded Kafka broker, the test JWKS and the producer and starts notification-service
# as a JVM of its own; it prints JSON and a SUMMARY line. Target: p99 <= 100 ms at 10,000 clients.
#
#   bench/sse.sh [--clients=1000,2500,5000,10000] [--events=100] [--rate=5] [--settle-seconds=3] [--heap=1g]
#                [--client-threads=<cores>] [--service-props='key=value;key=value'] [--service-jvm-args='-XX:…']
#
# Needs PostgreSQL on 127.0.0.1:5432 (database conversa_sse_bench is dropped and created) and Redis on
# 127.0.0.1:6379 (a test database is claimed as the tests do). The per-process fd limit must exceed the client count
# (ulimit -n). Offline Maven: MAVEN_ARGS=-o bench/sse.sh …  Logs: bench/target/sse/
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
work=bench/target/sse

./mvnw -B -q -ntp -pl notification-service,bench -am package -Dmaven.test.skip=true -Pbench-exec-jar

mkdir -p "$work"
echo "uptime before: $(uptime)" >&2
echo "fd limit: $(ulimit -n)" >&2
"$java" -Xms1g -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.SseBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" \
  --service-jar="$(ls notification-service/target/notification-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
echo "uptime after: $(uptime)" >&2
