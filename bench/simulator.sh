#!/usr/bin/env bash
# Benchmark of the WhatsApp simulator on its own: N linked devices held at once, inbound and outbound message rates.
# Starts the simulator as its own process (each process needs one file descriptor per connection, so the simulator
# and the client JVM each stay under the per-process limit), runs the client, prints JSON and a SUMMARY line.
#
#   bench/simulator.sh [--devices=10000] [--rate=20000] [--seconds=20] [--outbound-rate=20000]
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
port=${SIMULATOR_PORT:-18090}

./mvnw -B -q -ntp -pl libs/whatsapp-simulator,bench -am package -DskipTests
./mvnw -B -q -ntp -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null

ulimit -n "$(ulimit -Hn)"
log=$(mktemp /tmp/simulator-bench.XXXX.log)
"$java" -Xms1g -Xmx3g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -jar libs/whatsapp-simulator/target/whatsapp-simulator-*-exec.jar \
  --server.port="$port" --server.address=127.0.0.1 \
  --simulator.ban.enabled=false --simulator.receipts.read-after=0s \
  --logging.level.root=WARN >"$log" 2>&1 &
simulator=$!
trap 'kill $simulator 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 1
done

"$java" -Xms1g -Xmx3g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.conversa.bench.SimulatorBenchmark --url="http://127.0.0.1:$port" "$@"
