#!/usr/bin/env bash
# The C command-line example (build/remoteit) against a private API double: its commands, its
# output and the exit code of each family of failure (0 ok, 2 usage or bad argument,
# 3 credentials, 4 authentication, 5 network, 6 API), --version, --help, --scheme, the
# R3_* environment variables, and the call settings (--max-retries, --no-clock-correction,
# --user-agent, --verbose, --debug) against the double's faults, clock and records. Ends with
# "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
source tests/start_double.sh
start_api_double tests/data/credentials || exit 1
url=$api_url
refused="http://127.0.0.1:$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/graphql/v1"
creds=tests/data/credentials
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
home=$scratch/home    # HOME for the default-file tests: $home/.remoteit/credentials
passed=0 failed=0

# check CODE PATTERN COMMAND...: COMMAND exits with CODE and its output matches PATTERN.
check() {
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  # A failure's output (its messages) goes to the secrets scan's transcript (scripts/test.sh).
  [ "$rc" -ne 0 ] && [ -n "${REMOTEIT_TEST_TRANSCRIPT:-}" ] && printf 'error\t%s\n' "${out//$'\n'/ }" >>"$REMOTEIT_TEST_TRANSCRIPT/cli.$$.log"
  if [ "$rc" -eq "$code" ] && grep -Eq -- "$pattern" <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: %s\n  expected exit %s and /%s/, got exit %s:\n%s\n' "$*" "$code" "$pattern" "$rc" "$out"
  fi
}

# expect CODE PATTERN -- ARGS...: the CLI, given ARGS, exits with CODE and prints PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  check "$code" "$pattern" build/remoteit "$@"
}

# expect_env CODE PATTERN [NAME=VALUE...] -- ARGS...: as expect, with HOME=$home, no R3_*
# variable but those given.
expect_env() {
  local code=$1 pattern=$2; shift 2
  local assignments=()
  while [ "$1" != "--" ]; do assignments+=("$1"); shift; done
  shift
  check "$code" "$pattern" env -u R3_ACCESS_KEY_ID -u R3_SECRET_ACCESS_KEY -u R3_DEVELOPER_API_KEY \
    HOME="$home" "${assignments[@]}" build/remoteit "$@"
}

expect 2 "usage:" -- 
expect 2 "unknown command" -- frobnicate
expect 2 "wrong number of arguments" -- connect
expect 2 "unknown option" -- --bogus connect x
expect 0 "^Authorization: Signature keyId=\"TESTKEYID0000000001\"" -- --credentials $creds sign POST "$url" --data '{}'
expect 0 "^curl -sS --path-as-is -X 'POST' .*'Content-Type: application/json'" -- --credentials $creds sign POST "$url" --data '{}' --curl
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds sign 'BAD METHOD' "$url"
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds sign GET relative/url
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds --api-url ftp://example.com/graphql connect x
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds --api-url "$url" --ca-file "$scratch/none.pem" connect x
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds --profile a.b connect x
expect 2 "REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds --api-url "$url" graphql '{ login { email } }' '[1]'
expect 2 "--timeout-ms takes a whole number from 1 to 4294967295, not \"0\"" -- --timeout-ms 0 connect x
expect 2 "--timeout-ms takes a whole number from 1 to 4294967295" -- --timeout-ms 4294967297 connect x
expect 2 "--timeout-ms takes a whole number" -- --timeout-ms ' 5' connect x
expect 2 "--profile needs a value" -- connect x --profile
expect 3 "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND" -- --credentials "$scratch/none" connect x
expect 3 "name the file with --credentials FILE .*--profile NAME.*set both R3_ACCESS_KEY_ID and R3_SECRET_ACCESS_KEY" -- --credentials "$scratch/none" connect x
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

# --version: the CLI's (its header's) version and the loaded library's.
expect 0 "^remoteit CLI $version \(compiled against remoteit.h $version\)$" -- --version
expect 0 "^libremoteit $version \(loaded at run time\)$" -- --version
expect 0 "^libremoteit $version" -- connect --version

# --help: the defaults and the environment variables.
for shown in 'default ~/\.remoteit/credentials' 'default DEFAULT' 'default https://api\.remote\.it/graphql/v1' \
    'cavage \(default\) or rfc9421' R3_ACCESS_KEY_ID R3_SECRET_ACCESS_KEY R3_DEVELOPER_API_KEY '2 usage or bad argument' \
    '--max-retries N .*default 2' '--no-clock-correction' '--user-agent PRODUCT' '--verbose' '--debug .*signing string'; do
  expect 0 "$shown" -- --help
done

# --scheme on every command that signs.
expect 0 "^Authorization: Signature keyId=" -- --credentials $creds --scheme cavage sign POST "$url" --data '{}'
expect 0 "^Signature-Input: remoteit=" -- --credentials $creds --scheme rfc9421 sign POST "$url" --data '{}'
expect 0 "^Content-Digest: sha-256=" -- --credentials $creds --scheme rfc9421 sign POST "$url" --data '{}'
expect 0 "'Signature-Input: remoteit=" -- --credentials $creds --scheme rfc9421 sign POST "$url" --data '{}' --curl
expect 0 '"total": 3' -- --credentials $creds --api-url "$url" --scheme rfc9421 graphql '{ login { devices { total } } }'
expect 4 "REMOTEIT_ERR_UNAUTHORIZED" -- --credentials tests/data/wrong-credentials --api-url "$url" --scheme rfc9421 graphql '{ login { email } }'
id=$(build/remoteit --credentials $creds --api-url "$url" --scheme rfc9421 connect 80:00:00:00:01:00:00:21 | sed -n 's/^connection: //p')
expect 0 "^disconnected: $id$" -- --credentials $creds --api-url "$url" --scheme rfc9421 disconnect "$id"
expect 2 "--scheme takes cavage or rfc9421" -- --credentials $creds --scheme hmac sign GET "$url"
expect 2 "--scheme takes cavage or rfc9421" -- sign GET "$url" --scheme

# The default file and the R3_* variables (read only without --credentials).
expect_env 3 "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND.*/home/\.remoteit/credentials" -- sign GET "$url"
expect_env 3 "name the file with --credentials FILE" -- sign GET "$url"
mkdir -p "$home/.remoteit" && cp $creds "$home/.remoteit/credentials"
expect_env 0 'keyId="TESTKEYID0000000001"' -- sign GET "$url"
expect_env 0 'keyId="TESTKEYID0000000002"' -- --profile second sign GET "$url"
expect_env 0 'keyId="ENVKEY"' R3_ACCESS_KEY_ID=ENVKEY R3_SECRET_ACCESS_KEY=c2VjcmV0 -- sign GET "$url"
expect_env 3 "R3_ACCESS_KEY_ID is set but R3_SECRET_ACCESS_KEY is not" R3_ACCESS_KEY_ID=ENVKEY -- sign GET "$url"
expect_env 3 "R3_SECRET_ACCESS_KEY is set but R3_ACCESS_KEY_ID is not" R3_SECRET_ACCESS_KEY=c2VjcmV0 -- sign GET "$url"
expect_env 3 "R3_ACCESS_KEY_ID is set but R3_SECRET_ACCESS_KEY is not" R3_ACCESS_KEY_ID=ENVKEY R3_SECRET_ACCESS_KEY=' ' -- sign GET "$url"
expect_env 0 'keyId="TESTKEYID0000000001"' R3_ACCESS_KEY_ID=ENVKEY -- --credentials $creds sign GET "$url"

# The call settings, seen at work in the double: its faults (a 503 once), its clock (shifted),
# what it received (attempts per key, the last User-Agent and signature).
login='{ login { email } }'
control() { api_double_control "$url" "$@"; }    # control METHOD PATH [JSON]
# field JSON NAME: the member NAME of a JSON object.
field() { "$python" -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
login_attempts() { field "$(control GET '/_control/attempts?key=field:login')" attempts; }
fault_503_once() { control POST /_control/reset >/dev/null && control POST /_control/fault '{"kind": "503", "key": "field:login"}' >/dev/null; }

# run ARGS...: the CLI with ARGS; sets $rc, $out (standard output) and $err (standard error).
run() { out=$(build/remoteit --credentials $creds --api-url "$url" "$@" 2>"$scratch/stderr"); rc=$?; err=$(<"$scratch/stderr"); }
# Checks of the last run, each adding to $problems; verdict NAME counts them as one test.
problems=()
exits() { [ "$rc" -eq "$1" ] || problems+=("exit $rc, not $1"); }
shows() { grep -Eq -- "$2" <<<"${!1}" || problems+=("$1 lacks /$2/"); }       # shows out|err PATTERN
hides() { ! grep -Fq -- "$2" <<<"${!1}" || problems+=("$1 shows $3"); }       # hides out|err TEXT WHAT
equals() { [ "$1" = "$2" ] || problems+=("\"$1\" is not \"$2\""); }
secret=$(sed -n 's/^R3_SECRET_ACCESS_KEY=//p' $creds | head -n 1)
raw_secret=$(base64 -d <<<"$secret")
verdict() {
  if [ "${#problems[@]}" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    local shown_err=${err//"$secret"/<the secret>}
    printf 'FAIL: %s: %s\n  stdout:\n%s\n  stderr:\n%s\n' "$1" "${problems[*]}" "$out" "${shown_err//"$raw_secret"/<the secret>}"
  fi
  problems=()
}

fault_503_once; run graphql "$login"
exits 0; equals "$err" ""; equals "$(login_attempts)" 2
verdict "a 503 once is retried, silently without --verbose"

fault_503_once; run --verbose graphql "$login"
exits 0
shows err "^remoteit: info: POST $url: HTTP 503 in [0-9]+ ms \(attempt 1\)$"
shows err "^remoteit: warn: POST $url: HTTP 503: retrying in [0-9]+ ms \(retry 1 of 2\)$"
shows err "^remoteit: info: POST $url: HTTP 200 in [0-9]+ ms \(attempt 2\)$"
hides err "remoteit: debug:" "DEBUG lines"
verdict "--verbose shows each attempt and the retry on stderr"

for scheme in cavage rfc9421; do
  if [ $scheme = cavage ]; then signed='^remoteit: debug:   \(request-target\): post /graphql/v1$'; else signed='^remoteit: debug:   "@signature-params": \('; fi
  fault_503_once; run --debug --scheme $scheme graphql "$login"
  signature=$(field "$(control GET /_control/stats)" last_signature)
  exits 0
  shows err "^remoteit: debug: POST $url: signed:$"
  shows err "$signed"
  shows err "^remoteit: warn: .*retrying in"
  [ ${#signature} -ge 40 ] || problems+=("the double recorded no signature")
  hides err "$signature" "the signature the double received"
  hides err "${secret%%=*}" "the secret (base64)"
  hides err "$raw_secret" "the secret"
  verdict "--debug --scheme $scheme shows the signing string, not the secret or the signature"
done

fault_503_once; run --max-retries 0 graphql "$login"
exits 6; shows err "REMOTEIT_ERR_HTTP_STATUS.*HTTP 503"; equals "$(login_attempts)" 1
verdict "--max-retries 0 turns the retry of a 503 off"
fault_503_once; run --max-retries 1 --verbose graphql "$login"
exits 0; shows err "retry 1 of 1"
verdict "--max-retries 1 retries a 503 once"

for offset in 600 -600; do
  if [ $offset = 600 ]; then words="600 seconds behind the server's"; else words="600 seconds ahead of the server's"; fi
  control POST /_control/clock "{\"offset\": $offset}" >/dev/null
  run --no-clock-correction connect 80:00:00:00:01:00:00:11
  exits 4; shows err "REMOTEIT_ERR_UNAUTHORIZED.*$words"
  verdict "--no-clock-correction with the server's clock $offset s off: UNAUTHORIZED naming the difference"
  run --verbose graphql "$login"
  exits 0; shows err "^remoteit: warn: clock correction: this machine's clock is $words"
  verdict "by default a server clock $offset s off is corrected (and logged with --verbose)"
done
control POST /_control/clock '{"offset": 0}' >/dev/null

run --user-agent cli-test/1.0 graphql "$login"
exits 0; equals "$(field "$(control GET /_control/stats)" last_user_agent)" "cli-test/1.0 libremoteit/$version"
verdict "--user-agent goes before the library in the User-Agent the double receives"
run graphql "$login"
exits 0; equals "$(field "$(control GET /_control/stats)" last_user_agent)" "libremoteit/$version"
verdict "without --user-agent the User-Agent is the library's"

literal() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; }    # an ERE matching the text $1
for bad in abc -1 101 4294967297 '' 1x ' 1' +1; do
  expect 2 "--max-retries takes a whole number from 0 to 100, $(literal "not \"$bad\"")" -- --credentials $creds --api-url "$url" --max-retries "$bad" graphql "$login"
done
expect 2 "--max-retries needs a value" -- graphql "$login" --max-retries
expect 2 "--user-agent: REMOTEIT_ERR_INVALID_ARGUMENT.*not a token" -- --credentials $creds --api-url "$url" --user-agent 'bad agent' graphql "$login"
expect 2 "--user-agent: REMOTEIT_ERR_INVALID_ARGUMENT" -- --credentials $creds --api-url "$url" --user-agent '' graphql "$login"
expect 2 "--user-agent needs a value" -- graphql "$login" --user-agent
expect 2 "unknown option --verbose=1" -- --verbose=1 graphql "$login"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
