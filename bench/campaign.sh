#!/usr/bin/env bash
# Campaigns end to end: a generated 100,000-row CSV imported through campaign-service (rows/s), then one campaign
# to every contact from linked sessions, paced per session, sent by session-service to the WhatsApp simulator: time
# to the first send, measured rate against the configured pace (deviation %), lost and duplicated sends (the
# simulator's ground truth). Starts the simulator as its own process, then the client, which hosts Kafka and the
# JWKS and starts session-service and campaign-service as JVMs of their own; prints JSON and a SUMMARY line.
#
#   bench/campaign.sh [--recipients=100000] [--sessions=10] [--per-session-per-minute=300] [--jitter-percent=20]
#                     [--warmup-recipients=3000] [--heap=1g] [--send-timeout-seconds=2400] [--import-runs=5]
#   bench/campaign.sh --import-only=true [--import-runs=5]     the import alone (~1 minute)
# The file is imported --import-runs times, each into a tenant of its own: the first run is a freshly started
# service, the median of the others (a service that has been up) is the import rate held against 50,000 rows/s.
# The default pace, 10 sessions × 300/min = 50/s, is what a two-core machine sustains end to end (simulator,
# broker, both services and PostgreSQL on the same cores): the default run (100,000 recipients) takes ~37 minutes.
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; database conversa_bench is dropped and created) and
# Redis on 127.0.0.1:6379 (database 14 is flushed). Offline Maven: MAVEN_ARGS=-o bench/campaign.sh …
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh
port=${SIMULATOR_PORT:-18092}
work=bench/target/campaign

./mvnw -B -q -ntp -pl libs/whatsapp-simulator,session-service,campaign-service,bench -am package \
  -Dmaven.test.skip=true -Pbench-exec-jar

mkdir -p "$work"
# the number-safety model would ban a number sending hundreds a minute to phones that never wrote: off, as the
# pace under test is the campaign's, not what WhatsApp tolerates
"$java" -Xms256m -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
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

echo "uptime before: $(uptime)" >&2
"$java" -Xms512m -Xmx2g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=dev.conversa.bench.CampaignBenchmark \
  -jar "$(ls bench/target/conversa-bench-*-exec.jar | head -1)" --simulator="http://127.0.0.1:$port" \
  --service-jar="$(ls session-service/target/session-service-*-exec.jar | head -1)" \
  --campaign-jar="$(ls campaign-service/target/campaign-service-*-exec.jar | head -1)" --work-dir="$work" "$@"
echo "uptime after: $(uptime)" >&2
