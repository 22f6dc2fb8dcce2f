#!/usr/bin/env bash
# The issue's demo flow through the gateway, on a running local stack (./conversa demo runs it with the right
# environment). Every step prints "[ok] <n>/<total> <what>" or stops with "[FAILED] <n>/<total> <what>: <why>" and
# exit code 1, so the end-to-end test (deploy/tests, LocalStackEndToEndTest) can assert each step.
#
# Needs: GATEWAY_URL, KEYCLOAK_URL, SIMULATOR_URL, CONVERSA_DEMO_CLIENT_SECRET, CONVERSA_DEMO_AGENT_CLIENT_SECRET.
# Optional: CONVERSA_DEMO_QR=0 (do not draw the QR), CONVERSA_DEMO_TIMEOUT (seconds per wait, default 60).
set -euo pipefail

: "${GATEWAY_URL:?}" "${KEYCLOAK_URL:?}" "${SIMULATOR_URL:?}"
: "${CONVERSA_DEMO_CLIENT_SECRET:?}" "${CONVERSA_DEMO_AGENT_CLIENT_SECRET:?}"
ROOT=${CONVERSA_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WAIT=${CONVERSA_DEMO_TIMEOUT:-60}
TOTAL=10
STEP=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# random Spanish mobile numbers, so every run has its own business number, customer and contacts
rand8() { printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )); }
BUSINESS=346$(rand8)
CUSTOMER=346$(rand8)
RUN=$(date +%H%M%S)

step() { STEP=$((STEP + 1)); CURRENT=$1; printf '\n--- %d/%d %s\n' "$STEP" "$TOTAL" "$1"; }
ok() { printf '[ok] %d/%d %s\n' "$STEP" "$TOTAL" "$*"; }
fail() { printf '[FAILED] %d/%d %s: %s\n' "$STEP" "$TOTAL" "$CURRENT" "$*"; exit 1; }

# call METHOD URL TOKEN [JSON] [extra curl args...]: sets STATUS and BODY (the answer's JSON)
call() {
  local method=$1 url=$2 token=$3 data=${4:-}
  shift 4 2>/dev/null || shift $#
  local args=(-sS -X "$method" -o "$WORK/body" -w '%{http_code}' --max-time 20 "$@")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  STATUS=$(curl "${args[@]}" "$url" 2>"$WORK/err") || STATUS=000
  BODY=$(cat "$WORK/body" 2>/dev/null || true)
}

expect() {
  local want=$1
  [[ " $want " == *" $STATUS "* ]] || fail "HTTP $STATUS (wanted $want) $(head -c 400 <<<"$BODY") $(cat "$WORK/err" 2>/dev/null)"
}

# until SECONDS CMD...: runs CMD every second until it succeeds
until_ok() {
  local seconds=$1 i
  shift
  for i in $(seq 1 "$seconds"); do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

token() {
  curl -fsS --max-time 20 -X POST "$KEYCLOAK_URL/realms/conversa/protocol/openid-connect/token" \
    -d grant_type=client_credentials -d client_id="$1" --data-urlencode client_secret="$2" | jq -r .access_token
}

# ---------------------------------------------------------------- 1. tokens
step "demo tokens from Keycloak (client credentials: conversa-demo = admin, conversa-demo-agent = agent)"
ADMIN=$(token conversa-demo "$CONVERSA_DEMO_CLIENT_SECRET") || fail "no admin token"
AGENT=$(token conversa-demo-agent "$CONVERSA_DEMO_AGENT_CLIENT_SECRET") || fail "no agent token"
[ -n "$ADMIN" ] && [ "$ADMIN" != null ] && [ -n "$AGENT" ] && [ "$AGENT" != null ] || fail "empty token"
call PUT "$GATEWAY_URL/api/v1/agents/me/status" "$AGENT" '{"status":"online"}'
expect "200"
AGENT_ID=$(jq -r '.userId // .id' <<<"$BODY")
# demo runs pile up open conversations on the one demo agent: give it room
call PATCH "$GATEWAY_URL/api/v1/agents/$AGENT_ID" "$ADMIN" '{"maxConcurrent":500}'
expect "200"
ok "tokens for tenant demo; agent $AGENT_ID is online"

# ---------------------------------------------------------------- 2. linked session
step "create a linked WhatsApp session"
call POST "$GATEWAY_URL/api/v1/sessions" "$ADMIN" "{\"name\":\"Demo $RUN-$BUSINESS\",\"transport\":\"linked\"}" \
  -H "Idempotency-Key: demo-$RUN-$BUSINESS"
expect "201"
SESSION=$(jq -r .id <<<"$BODY")
ok "session $SESSION created (status $(jq -r .status <<<"$BODY"))"

# ---------------------------------------------------------------- 3. QR
step "show the session's QR code"
qr_ready() { call GET "$GATEWAY_URL/api/v1/sessions/$SESSION/qr" "$ADMIN"; [ "$STATUS" = 200 ]; }
until_ok "$WAIT" qr_ready || fail "no QR after ${WAIT}s (HTTP $STATUS)"
REF=$(jq -r .ref <<<"$BODY")
ZXING=$(ls "${MAVEN_REPO:-$HOME/.m2/repository}"/com/google/zxing/core/*/core-*.jar 2>/dev/null | grep -v sources | tail -1 || true)
if [ "${CONVERSA_DEMO_QR:-1}" != 0 ] && [ -n "$ZXING" ] && [ -n "${JAVA_HOME:-}" ]; then
  "$JAVA_HOME/bin/java" -cp "$ZXING" "$ROOT/deploy/local/QrTerminal.java" "$REF" 2>/dev/null || echo "    (QR: $REF)"
else
  echo "    QR ref: $REF"
fi
ok "QR ref $(cut -c1-12 <<<"$REF")… (attempt $(jq -r .attempt <<<"$BODY"), expires $(jq -r .expiresAt <<<"$BODY"))"

# ---------------------------------------------------------------- 4. scan
step "the phone of +$BUSINESS scans the QR (simulator)"
call POST "$SIMULATOR_URL/sim/linked/scan" "" "{\"ref\":\"$REF\",\"phoneNumber\":\"$BUSINESS\",\"pushName\":\"Conversa Demo\"}"
expect "201"
connected() { call GET "$GATEWAY_URL/api/v1/sessions/$SESSION" "$ADMIN"; [ "$(jq -r .status <<<"$BODY")" = connected ]; }
until_ok "$WAIT" connected || fail "session not connected after ${WAIT}s (status $(jq -r .status <<<"$BODY"))"
ok "session connected as +$(jq -r '.phoneNumber // empty' <<<"$BODY" | tr -d +)"

# ---------------------------------------------------------------- 5. inbound
step "a customer (+$CUSTOMER) writes to the business number"
call POST "$SIMULATOR_URL/sim/phones" "" "{\"number\":\"+$CUSTOMER\",\"name\":\"Ana Demo\",\"onWhatsApp\":true}"
expect "200 201"
call POST "$SIMULATOR_URL/sim/phones/$CUSTOMER/messages" "" "{\"to\":\"$BUSINESS\",\"type\":\"text\",\"text\":\"Hola, ¿qué precio tiene el plan Pro?\"}"
expect "202"
conversation() {
  call GET "$GATEWAY_URL/api/v1/conversations?session=$SESSION" "$ADMIN"
  [ "$STATUS" = 200 ] && [ "$(jq '.items | length' <<<"$BODY")" -ge 1 ]
}
until_ok "$WAIT" conversation || fail "no conversation after ${WAIT}s (HTTP $STATUS)"
CONVERSATION=$(jq -r '.items[0].id' <<<"$BODY")
ok "conversation $CONVERSATION opened: \"$(jq -r '.items[0].lastMessagePreview' <<<"$BODY")\""

# ---------------------------------------------------------------- 6. assignment
step "the conversation is assigned to an agent (distribution-service, round robin)"
assigned() {
  call GET "$GATEWAY_URL/api/v1/conversations/$CONVERSATION" "$ADMIN"
  [ "$STATUS" = 200 ] && [ "$(jq -r '.assignedAgentId // empty' <<<"$BODY")" != "" ]
}
until_ok "$WAIT" assigned || fail "not assigned after ${WAIT}s: $(head -c 300 <<<"$BODY")"
ASSIGNEE=$(jq -r .assignedAgentId <<<"$BODY")
ok "assigned to agent $ASSIGNEE$([ "$ASSIGNEE" = "$AGENT_ID" ] && echo ' (the demo agent)')"

# ---------------------------------------------------------------- 7. reply
step "the agent replies"
call POST "$GATEWAY_URL/api/v1/conversations/$CONVERSATION/messages" "$AGENT" \
  '{"text":"¡Hola Ana! El plan Pro cuesta 29 € al mes. ¿Te lo activo?"}' -H "Idempotency-Key: demo-reply-$RUN-$CUSTOMER"
expect "202"
REPLY=$(jq -r .id <<<"$BODY")
delivered() {
  call GET "$GATEWAY_URL/api/v1/conversations/$CONVERSATION/messages" "$AGENT"
  [[ "$(jq -r --arg id "$REPLY" '.items[] | select(.id == $id) | .status' <<<"$BODY")" =~ ^(sent|delivered|read)$ ]]
}
until_ok "$WAIT" delivered || fail "reply not sent after ${WAIT}s: $(jq -c --arg id "$REPLY" '.items[] | select(.id == $id)' <<<"$BODY")"
ok "reply $REPLY is $(jq -r --arg id "$REPLY" '.items[] | select(.id == $id) | .status' <<<"$BODY") on WhatsApp"

# ---------------------------------------------------------------- 8. CSV import
step "import a small contact CSV"
GROUP=demo-$RUN
{
  echo "telefono;nombre;ciudad"
  for name in Lucía Mateo Sofía; do echo "+346$(rand8);$name;Madrid"; done
  echo "12345;Número malo;Sevilla"
} >"$WORK/contacts.csv"
call POST "$GATEWAY_URL/api/v1/contacts/import?group=$GROUP&defaultRegion=ES" "$ADMIN" "" -F "file=@$WORK/contacts.csv;type=text/csv"
expect "201"
[ "$(jq -r .accepted <<<"$BODY")" = 3 ] || fail "wanted 3 accepted rows: $BODY"
ok "import $(jq -r .status <<<"$BODY"): $(jq -r .rowsRead <<<"$BODY") rows read," \
  "$(jq -r .accepted <<<"$BODY") accepted, $(jq -r .rejected <<<"$BODY") rejected (group $GROUP)"

# ---------------------------------------------------------------- 9. campaign
step "run a campaign to the imported group"
CAMPAIGN_BODY=$(jq -cn --arg name "Demo $RUN" --arg session "$SESSION" --arg group "$GROUP" \
  '{name: $name, sessionIds: [$session], audience: {groups: [$group]},
    message: {text: "Hola {{name|cliente}}, este mes el plan Pro tiene un 20 % de descuento."}}')
call POST "$GATEWAY_URL/api/v1/campaigns" "$ADMIN" "$CAMPAIGN_BODY"
expect "201"
CAMPAIGN=$(jq -r .id <<<"$BODY")
call POST "$GATEWAY_URL/api/v1/campaigns/$CAMPAIGN/start" "$ADMIN" ""
expect "200 202"
finished() {
  call GET "$GATEWAY_URL/api/v1/campaigns/$CAMPAIGN/progress" "$ADMIN"
  [ "$STATUS" = 200 ] && [ "$(jq -r '(.sent // 0) + (.delivered // 0) + (.read // 0)' <<<"$BODY")" -ge 3 ]
}
until_ok $((WAIT * 2)) finished || fail "campaign did not reach its 3 recipients: $BODY"
ok "campaign $CAMPAIGN: $(jq -c '{total, sent, delivered, read, failed}' <<<"$BODY")"

# ---------------------------------------------------------------- 10. dashboard
step "dashboard figures"
call GET "$GATEWAY_URL/api/v1/dashboard/current-month?timeZone=UTC" "$ADMIN"
expect "200"
[ "$(jq -r .sent <<<"$BODY")" -ge 3 ] || fail "dashboard counts fewer than 3 sent: $BODY"
MONTH=$BODY
call GET "$GATEWAY_URL/api/v1/campaigns/$CAMPAIGN/report" "$ADMIN"
expect "200"
printf '    month %s: sent %s, delivered %s, read %s, errors %s, success rate %s\n' \
  "$(jq -r .month <<<"$MONTH")" "$(jq -r .sent <<<"$MONTH")" "$(jq -r .delivered <<<"$MONTH")" \
  "$(jq -r .read <<<"$MONTH")" "$(jq -r .errors <<<"$MONTH")" "$(jq -r .successRate <<<"$MONTH")"
printf '    campaign funnel: %s\n' "$(jq -c .funnel <<<"$BODY")"
# free the demo agent's slot again
call GET "$GATEWAY_URL/api/v1/conversations/$CONVERSATION" "$ADMIN"
VERSION=$(jq -r .version <<<"$BODY")
call PATCH "$GATEWAY_URL/api/v1/conversations/$CONVERSATION" "$ADMIN" '{"status":"closed"}' -H "If-Match: \"$VERSION\""
ok "dashboard: $(jq -r .sent <<<"$MONTH") sent this month"

printf '\nDemo finished: %d/%d steps passed.\n' "$STEP" "$TOTAL"
