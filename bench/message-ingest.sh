#!/usr/bin/env bash
# Inbound ingest of message-service: conversa.message.received.v1 events pushed to wa.message.inbound at increasing
# rates; the rate the service stores them at (rows in message.messages), the consumer lag and the time to drain,
# next to the raw batched-insert rate of the same PostgreSQL measured in the same run. The client hosts the embedded
# Kafka broker and the producer and starts message-service as a JVM of its own; it prints JSON and a SUMMARY line.
#
#   bench/message-ingest.sh [--rates=2000,5000,10000,20000] [--seconds=20] [--conversations=2000] [--sessions=200]
#                           [--tenants=4] [--batch-size=500] [--max-wait=50ms] [--raw-rows=200000]
#                           [--warmup-seconds=5] [--drain-timeout-seconds=240] [--continue-after-saturation=false]
#                           [--acks=1] [--linger-ms=10] [--batch-bytes=262144] [--heap=1g] [--gc=G1|Parallel]
#                           [--thread-dumps=3]
#                           [--service-props='key=value;key=value'] [--service-jvm-args='-Dx=y …']   (what-if runs)
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; database conversa_ingest_bench is dropped and created).
# Offline Maven: MAVEN_ARGS=-o bench/message-ingest.sh …  Logs, thread dumps and timelines: bench/target/message-ingest/
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
work=bench/target/message-ingest

# -Pbench-exec-jar: the benchmark as one executable jar; maven.test.skip: the tests are not compiled either
./mvnw -B -q -ntp -pl message-service,bench -am package -Dmaven.test.skip=true -Pbench-exec-jar

mkdir -p "$work"
echo "uptime before: $(uptime)" >&2
"$java" -Xms1g -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.MessageIngestBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" \
  --service-jar="$(ls message-service/target/message-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
echo "uptime after: $(uptime)" >&2
