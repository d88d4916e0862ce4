#!/usr/bin/env bash
# The C command-line example (build/remoteit) against a private API double: its commands, its
# output and the exit code of each family of failure (0 ok, 2 usage, 3 credentials,
# 4 authentication, 5 network, 6 API). Ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
source tests/start_double.sh
start_api_double tests/data/credentials || exit 1
url=$api_url
refused="http://127.0.0.1:$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/graphql/v1"
creds=tests/data/credentials
passed=0 failed=0

# expect CODE PATTERN -- ARGS...: the CLI exits with CODE and its output matches PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  local out rc
  out=$(build/remoteit "$@" 2>&1); rc=$?
  if [ "$rc" -eq "$code" ] && grep -Eq -- "$pattern" <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: remoteit %s\n  expected exit %s and /%s/, got exit %s:\n%s\n' "$*" "$code" "$pattern" "$rc" "$out"
  fi
}

expect 2 "usage:" -- 
expect 2 "unknown command" -- frobnicate
expect 2 "wrong number of arguments" -- connect
expect 2 "unknown option" -- --bogus connect x
expect 0 "^Authorization: Signature keyId=\"TESTKEYID0000000001\"" -- --credentials $creds sign POST "$url" --data '{}'
expect 0 "^curl -sS --path-as-is -X 'POST' .*'Content-Type: application/json'" -- --credentials $creds sign POST "$url" --data '{}' --curl
expect 1 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds sign 'BAD METHOD' "$url"
expect 3 "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND" -- --credentials "$scratch/none" connect x
expect 3 "REMOTEIT_ERR_PROFILE_NOT_FOUND" -- --credentials $creds --profile nope connect x
expect 0 "^port: [0-9]+$" -- --credentials $creds --api-url "$url" connect 80:00:00:00:01:00:00:11
expect 0 "^port: none \(reverse proxy\)$" -- --credentials $creds --api-url "$url" connect 80:00:00:00:01:00:00:12
expect 0 "^port: [0-9]+$" -- --credentials $creds --api-url "$url" connect 80:00:00:00:01:00:00:12 --proxy port --host-ip 0.0.0.0
expect 2 "--proxy takes" -- --credentials $creds --api-url "$url" connect 80:00:00:00:01:00:00:12 --proxy sideways
expect 6 "REMOTEIT_ERR_GRAPHQL.*Service not found" -- --credentials $creds --api-url "$url" connect 80:00:00:00:00:00:00:99
expect 6 "REMOTEIT_ERR_GRAPHQL.*Connection not found" -- --credentials $creds --api-url "$url" disconnect no-such-connection
expect 0 '"total": 3' -- --credentials $creds --api-url "$url" graphql 'query($n: Int) { login { devices(size: $n) { total } } }' '{"n": 1}'
expect 4 "REMOTEIT_ERR_UNAUTHORIZED" -- --credentials tests/data/wrong-credentials --api-url "$url" connect 80:00:00:00:01:00:00:11
expect 5 "REMOTEIT_ERR_NETWORK" -- --credentials $creds --api-url "$refused" connect 80:00:00:00:01:00:00:11

# Typed listing, connecting by names, REST.
expect 0 "^NAME +STATE +SERVICES$" -- --credentials $creds --api-url "$url" devices
expect 0 "^lab-pi +active +SSH \(22\), VNC \(5900\)$" -- --credentials $creds --api-url "$url" devices
expect 0 "^old-nas +inactive \(offline\) +NAS admin \(443\)$" -- --credentials $creds --api-url "$url" devices
expect 0 '"name": "lab-pi", "state": "active", "online": true, "services": \[\{"id": "80:00:00:00:01:00:00:21", "name": "SSH", "application": 28, "port": 22\}' -- --credentials $creds --api-url "$url" devices --json
# --name LAB: the header and lab-pi, nothing else.
out=$(build/remoteit --credentials $creds --api-url "$url" devices --name LAB 2>&1)
if [ "$(wc -l <<<"$out")" -eq 2 ] && grep -q "^lab-pi " <<<"$out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  printf 'FAIL: remoteit devices --name LAB: expected the header and lab-pi only, got:\n%s\n' "$out"
fi
expect 0 "^org-d000001-garage-pi " -- --credentials $creds --api-url "$url" devices --account 0a9e0000-0000-4000-8000-000000000042
expect 6 "REMOTEIT_ERR_GRAPHQL" -- --credentials $creds --api-url "$url" devices --account no-such-account
expect 0 "^service: 80:00:00:00:01:00:00:22$" -- --credentials $creds --api-url "$url" connect --device LAB-PI --service vnc
expect 0 "^port: [0-9]+$" -- --credentials $creds --api-url "$url" connect --device lab-pi --service VNC
expect 2 "needs both --device and --service" -- --credentials $creds --api-url "$url" connect --device lab-pi
expect 1 "REMOTEIT_ERR_INVALID_ARGUMENT.*no device is named \"cellar\".*\"office-gateway\"" -- --credentials $creds --api-url "$url" connect --device cellar --service SSH
expect 0 '"email": "demo@example.com"' -- --credentials $creds --api-url "$url" rest GET /user/info
expect 6 "REMOTEIT_ERR_API.*code NOT_FOUND" -- --credentials $creds --api-url "$url" rest GET /no/such/path
expect 3 "REMOTEIT_ERR_CREDENTIALS_INCOMPLETE.*R3_DEVELOPER_API_KEY" -- --credentials $creds --profile second --api-url "$url" rest GET /user/info
expect 2 "wrong number of arguments" -- --credentials $creds --api-url "$url" rest GET

id=$(build/remoteit --credentials $creds --api-url "$url" connect 80:00:00:00:01:00:00:21 | sed -n 's/^connection: //p')
expect 0 "^disconnected: $id$" -- --credentials $creds --api-url "$url" disconnect "$id"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
