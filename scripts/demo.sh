#!/usr/bin/env bash
# The demo: starts the local API double with the bundled demo credentials, then uses the C
# command-line example (build/remoteit) to connect to a service and disconnect, signed.
set -euo pipefail
cd "$(dirname "$0")/.."
service=${1:-80:00:00:00:01:00:00:11}
creds=examples/demo/credentials
source tests/start_double.sh
start_api_double "$creds"
url=$api_url
cli() { build/remoteit --credentials "$creds" --api-url "$url" "$@"; }

echo "== API double listening at $url (demo keys from $creds)"
echo "== remoteit connect $service"
out=$(cli connect "$service")
echo "$out"
id=$(sed -n 's/^connection: //p' <<<"$out")
host=$(sed -n 's/^host: //p' <<<"$out")
port=$(sed -n 's/^port: //p' <<<"$out")
echo "== connected: host $host, port $port"
echo "== remoteit disconnect $id"
cli disconnect "$id"
echo "== demo finished: signed connect and disconnect succeeded"
