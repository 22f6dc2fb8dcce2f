#!/usr/bin/env bash
# Capacity of one session-service instance with linked sessions: N sessions linked through the REST API and the
# simulator's phone (time to connect all), heap and RSS per session, then the failover of that instance to a second
# one (time until every device is online again). Starts the simulator as its own process (it holds one file
# descriptor per device, as the service does per session), runs the client, which hosts Kafka and the JWKS and
# starts the service instances as JVMs of their own, and prints JSON and a SUMMARY line.
#
#   bench/sessions.sh [--sessions=5000] [--heap=1g] [--gc=G1|Parallel] [--lease-ttl=10s]
#                     [--kafka-session-timeout-ms=10000] [--restore-concurrency=128] [--link-concurrency=256]
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; database conversa_bench is dropped and created) and
# Redis on 127.0.0.1:6379 (database 14 is flushed). Offline Maven: MAVEN_ARGS=-o bench/sessions.sh …
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
port=${SIMULATOR_PORT:-18091}
work=bench/target/sessions

# -Pbench-exec-jar: the benchmark as one executable jar (no dependency:build-classpath, which offline builds lack);
# maven.test.skip: the tests are not compiled either
./mvnw -B -q -ntp -pl libs/whatsapp-simulator,session-service,bench -am package -Dmaven.test.skip=true -Pbench-exec-jar

ulimit -n "$(ulimit -Hn)"
mkdir -p "$work"
# QR refs live 60 s, then 20 s: longer than a link takes here, even with thousands queued
"$java" -Xms512m -Xmx2g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -jar libs/whatsapp-simulator/target/whatsapp-simulator-*-exec.jar \
  --server.port="$port" --server.address=127.0.0.1 \
  --simulator.ban.enabled=false \
  --logging.level.root=WARN >"$work/simulator.log" 2>&1 &
simulator=$!
trap 'kill $simulator 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 1
done

"$java" -Xms512m -Xmx2g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.SessionCapacityBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" --simulator="http://127.0.0.1:$port" \
  --service-jar="$(ls session-service/target/session-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
