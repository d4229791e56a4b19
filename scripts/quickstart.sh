#!/usr/bin/env bash
# The Fluxra Quickstart (docs v0.4.0, "Quickstart" page), its curl commands verbatim, against BASE_URL:
#   scripts/quickstart.sh http://127.0.0.1:4010        (the fake: npx fluxra-fake, or npm start)
# Only the base URL differs from the page (https://chat.tryfluxra.com there). Between the steps the script
# keeps what the page says to save (agent_id, recovery_key, api_key, access_token, conversation_id) in the
# page's own variable names. The direct-message shortcut runs twice and must land in the same conversation;
# its target is a second agent registered with Step 1's command, since the page's `agt_target` is a
# placeholder. Secrets are never printed. Needs curl, jq and base64. Exit 0 when every step worked.
# A URL that is not loopback is refused unless --allow-live is given: this registers real agents.
set -euo pipefail

usage() { echo "usage: scripts/quickstart.sh BASE_URL [--allow-live]" >&2; exit 2; }
[ $# -ge 1 ] || usage
BASE_URL="${1%/}"
ALLOW_LIVE="${2:-}"
[ -z "$ALLOW_LIVE" ] || [ "$ALLOW_LIVE" = "--allow-live" ] || usage
case "$BASE_URL" in
  http://127.*|http://localhost[:/]*|http://localhost|http://\[::1\]*) ;;
  http://*|https://*) [ "$ALLOW_LIVE" = "--allow-live" ] || { echo "quickstart: $BASE_URL is not loopback; add --allow-live to run against it" >&2; exit 2; } ;;
  *) usage ;;
esac
for tool in curl jq base64; do command -v "$tool" >/dev/null || { echo "quickstart: $tool is required" >&2; exit 2; }; done

# The page's commands as written; quiet, and a non-2xx answer stops the script with the body shown.
curl() { command curl --silent --show-error --fail-with-body "$@"; }
fail() { echo "quickstart: $1" >&2; exit 1; }
# A field of the last answer, or stop saying which step lacked it.
save() { jq -er "$2 // empty" <<<"$1" || fail "$3: no $2 in the answer: $1"; }

echo "Step 1: Register an Agent"
RES=$(curl -X POST $BASE_URL/api/auth/register \
-H "Content-Type: application/json" \
-d '{
"agent_name": "weather-bot",
"email": "bot@example.com",
"metadata": {
"description": "Weather assistant",
"owner": "Example Org",
"version": "1.0.0"
}
}') || fail "step 1 failed: $RES"
AGENT_ID=$(save "$RES" .agent_id "step 1")
RECOVERY_KEY=$(save "$RES" .recovery_key "step 1")
echo "  agent_id: $AGENT_ID (recovery_key saved)"

echo "Step 2: Create an API Key"
RES=$(curl -X POST $BASE_URL/api/agents/$AGENT_ID \
-H "Authorization: Basic $(printf '%s' "$AGENT_ID:$RECOVERY_KEY" | base64)" \
-H "Content-Type: application/json" \
-d '{
"name": "cli",
"scopes": ["messages:read", "messages:write", "conversations:read"]
}') || fail "step 2 failed: $RES"
KEY_ID=$(save "$RES" .key_id "step 2")
API_KEY=$(save "$RES" .api_key "step 2")
echo "  key_id: $KEY_ID (api_key saved)"

echo "Step 3: Exchange the API Key for a JWT"
RES=$(curl -X POST $BASE_URL/api/auth/token \
-H "Authorization: Basic $(printf '%s' "$AGENT_ID:$API_KEY" | base64)" \
-H "Content-Type: application/json" \
-d '{
"grant_type": "client_credentials"
}') || fail "step 3 failed: $RES"
ACCESS_TOKEN=$(save "$RES" .access_token "step 3")
echo "  access_token saved"

echo "Step 4: Create a Conversation"
RES=$(curl -X POST $BASE_URL/api/conversations \
-H "Authorization: Bearer $ACCESS_TOKEN" \
-H "Content-Type: application/json" \
-d '{
"type": "group",
"name": "Project Team",
"members": []
}') || fail "step 4 failed: $RES"
CONVERSATION_ID=$(save "$RES" .conversation_id "step 4")
echo "  conversation_id: $CONVERSATION_ID"

echo "Step 5: Send a Message"
RES=$(curl -X POST $BASE_URL/api/messages \
-H "Authorization: Bearer $ACCESS_TOKEN" \
-H "Content-Type: application/json" \
-d "{
\"conversation_id\": \"$CONVERSATION_ID\",
\"content\": \"Hello from my first integration\"
}") || fail "step 5 failed: $RES"
[ "$(save "$RES" .conversation_id "step 5")" = "$CONVERSATION_ID" ] || fail "step 5: the message is not in $CONVERSATION_ID: $RES"
echo "  message_id: $(save "$RES" .message_id "step 5")"

echo "Alternative: Direct Message Shortcut (twice)"
# A recipient: Step 1's command again (agent names need not be unique).
RES=$(curl -X POST $BASE_URL/api/auth/register \
-H "Content-Type: application/json" \
-d '{
"agent_name": "weather-bot",
"email": "bot@example.com",
"metadata": {
"description": "Weather assistant",
"owner": "Example Org",
"version": "1.0.0"
}
}') || fail "registering the recipient failed: $RES"
TARGET_AGENT_ID=$(save "$RES" .agent_id "recipient")
[[ "$TARGET_AGENT_ID" =~ ^agt_[A-Za-z0-9_-]+$ ]] || fail "recipient: unexpected agent_id $TARGET_AGENT_ID"
# The page's command as written; its placeholder agt_target is replaced by the recipient's id.
DM_COMMAND=$(cat <<'QUICKSTART'
curl -X POST $BASE_URL/api/messages \
-H "Authorization: Bearer $ACCESS_TOKEN" \
-H "Content-Type: application/json" \
-d '{
"recipient_agent_id": "agt_target",
"content": "Hello directly"
}'
QUICKSTART
)
dm() { eval "${DM_COMMAND//agt_target/$TARGET_AGENT_ID}"; }
RES=$(dm) || fail "direct message failed: $RES"
DM_CONVERSATION_ID=$(save "$RES" .conversation_id "direct message")
RES=$(dm) || fail "second direct message failed: $RES"
AGAIN=$(save "$RES" .conversation_id "second direct message")
echo "  conversation_id: $DM_CONVERSATION_ID, then $AGAIN"
[ "$AGAIN" = "$DM_CONVERSATION_ID" ] || fail "the shortcut made a second conversation ($AGAIN) instead of finding $DM_CONVERSATION_ID"
[ "$DM_CONVERSATION_ID" != "$CONVERSATION_ID" ] || fail "the shortcut posted into the group conversation"

echo "QUICKSTART OK against $BASE_URL"
