# Sourced by the test and demo scripts (from the repository root):
#   source tests/start_double.sh; start_api_double CREDENTIALS_FILE [MORE DOUBLE OPTIONS...]
# starts tests/api_double.py on a free port, waits (at most 10 s) until it listens, and sets
# $api_url to its API URL and $scratch to a fresh folder for the script's own files. When the
# script exits, the double is stopped and $scratch removed (and if the script is killed, the
# double stops by itself). Uses $PYTHON when set, else python3.
start_api_double() {
  local credentials=$1
  shift
  scratch=$(mktemp -d)
  "${PYTHON:-python3}" tests/api_double.py --port 0 --credentials "$credentials" \
    --url-file "$scratch/api-url" --quiet --exit-with-parent "$@" >/dev/null &
  _api_double_pid=$!
  trap 'kill "$_api_double_pid" 2>/dev/null; wait "$_api_double_pid" 2>/dev/null; rm -rf "$scratch"' EXIT
  for _ in $(seq 100); do
    [ -s "$scratch/api-url" ] && break
    kill -0 "$_api_double_pid" 2>/dev/null || { echo "the API double did not start" >&2; return 1; }
    sleep 0.1
  done
  [ -s "$scratch/api-url" ] || { echo "the API double wrote no URL within 10 s" >&2; return 1; }
  api_url=$(cat "$scratch/api-url")
}
