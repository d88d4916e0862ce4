# Sourced by the test and demo scripts (from the repository root):
#   source tests/start_double.sh; start_api_double CREDENTIALS_FILE [MORE DOUBLE OPTIONS...]
# starts tests/api_double.py on a free port, waits (at most 10 s) until it listens, and sets
# $api_url to its API URL and $scratch to a fresh folder for the script's own files.
#   start_api_double_as PREFIX CREDENTIALS_FILE [MORE DOUBLE OPTIONS...]
# does the same for one more double, setting ${PREFIX}_url (e.g. `start_api_double_as https
# tests/data/credentials --tls-cert ...` sets $https_url); any number may run side by side,
# and all share the one $scratch. When the script exits, every double is stopped and $scratch
# removed (and if the script is killed, the doubles stop by themselves). An EXIT trap the script
# set before is kept: it runs after the doubles are stopped (a trap set after replaces this
# one: call stop_api_doubles from it). Uses $PYTHON when set, else python3.
#   api_double_control API_URL METHOD PATH [JSON]
# sends a request to the control endpoints of the double at API_URL (PATH such as
# /_control/stats) and prints its answer; fails unless the answer is 2xx.
_api_double_pids=()

stop_api_doubles() {
  local pid
  for pid in "${_api_double_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${_api_double_pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  _api_double_pids=()
  [ -n "${_api_double_scratch:-}" ] && rm -rf "$_api_double_scratch"
  _api_double_scratch=
  return 0
}

start_api_double_as() {
  local prefix=$1 credentials=$2 pid url_file
  shift 2
  if [ -z "${_api_double_scratch:-}" ]; then
    scratch=$(mktemp -d)
    _api_double_scratch=$scratch
    local previous
    previous=$(trap -p EXIT)             # "trap -- 'COMMAND' EXIT", or nothing
    previous=${previous#trap -- }
    previous=${previous% EXIT}
    eval "previous=${previous:-''}"      # trap -p quotes the command: unquote it
    # shellcheck disable=SC2064  # expand the previous trap now
    trap "stop_api_doubles; ${previous:-:}" EXIT
  fi
  url_file="$scratch/$prefix-url"
  "${PYTHON:-python3}" tests/api_double.py --port 0 --credentials "$credentials" \
    --url-file "$url_file" --quiet --exit-with-parent "$@" >/dev/null &
  pid=$!
  _api_double_pids+=("$pid")
  for _ in $(seq 100); do
    [ -s "$url_file" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "the API double ($prefix) did not start" >&2; return 1; }
    sleep 0.1
  done
  [ -s "$url_file" ] || { echo "the API double ($prefix) wrote no URL within 10 s" >&2; return 1; }
  printf -v "${prefix}_url" '%s' "$(head -n1 "$url_file")"
}

start_api_double() {
  start_api_double_as api "$@"
}

api_double_control() {
  local origin
  [[ $1 =~ ^https?://[^/]+ ]] || { echo "api_double_control: not an http(s) URL: $1" >&2; return 2; }
  origin=${BASH_REMATCH[0]}
  # No proxy, whatever the environment says: the double is local.
  "${PYTHON:-python3}" -c 'import sys, urllib.request as u
request = u.Request(sys.argv[1], data=sys.argv[3].encode() if len(sys.argv) > 3 else None, method=sys.argv[2])
print(u.build_opener(u.ProxyHandler({})).open(request, timeout=10).read().decode())' "$origin$3" "$2" "${@:4}"
}
