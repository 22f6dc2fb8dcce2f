#!/usr/bin/env bash
# Assignment rate of distribution-service: N online agents across tenants (capacities 10–50), conversa.conversation.
# opened.v1 produced at increasing rates while older conversations close; assignments per second, the spread of load
# among agents of the same capacity and capacity violations sampled during the run (lightly: counters every
# --sample-millis, conversation rows every eighth sample). The client hosts the embedded Kafka broker and the producer
# and starts distribution-service as a JVM of its own; it prints JSON and a SUMMARY line.
#
#   bench/distribution.sh [--agents=200] [--tenants=2] [--rates=1000,2000,4000,8000] [--seconds=10]
#                         [--in-flight=2000] [--heap=512m] [--batch-size=500] [--tenant-concurrency=4]
#                         [--sample-millis=250] [--service-jvm-args='-XX:StartFlightRecording=filename=/tmp/d.jfr']
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; database conversa_distribution_bench is dropped and
# created). Offline Maven: MAVEN_ARGS=-o bench/distribution.sh …  Service log: bench/target/distribution/
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
work=bench/target/distribution

./mvnw -B -q -ntp -pl distribution-service,bench -am package -Dmaven.test.skip=true -Pbench-exec-jar

mkdir -p "$work"
echo "uptime before: $(uptime)" >&2
"$java" -Xms512m -Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.DistributionBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" \
  --service-jar="$(ls distribution-service/target/distribution-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
echo "uptime after: $(uptime)" >&2
