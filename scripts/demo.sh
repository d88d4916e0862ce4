#!/usr/bin/env bash
# The demo: starts the local API double with the bundled demo credentials, then uses the C
# command-line example (build/remoteit) to connect to a service and disconnect, signed.
set -euo pipefail
cd "$(dirname "$0")/.."
service=${1:-80:00:00:00:01:00:00:11}
creds=examples/demo/credentials
work=$(mktemp -d)
python3 tests/api_double.py --port 0 --credentials "$creds" --url-file "$work/url" --quiet --exit-with-parent >/dev/null &
double=$!
trap 'kill $double 2>/dev/null; wait $double 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { echo "demo: the API double did not start" >&2; exit 1; }
url=$(cat "$work/url")
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
