#!/usr/bin/env bash
# Property-based API fuzzing (issue 10): schemathesis generates requests from the scheduler's own
# OpenAPI 3.1 document (/api/docs) and fails on any 5xx or any answer that breaks the document.
# Needs the stack (npm run stack:up). At most a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${SCHEMATHESIS_VENV:-.stack/schemathesis-venv}"
if [ ! -x "$venv/bin/st" ]; then
  echo "[fuzz] installing schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi

npx tsx tools/stack/src/cli.ts up >/dev/null
export FUZZ_TOKEN="fuzz-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
log=$(mktemp)
npx tsx services/scheduler/scripts/fuzz-target.ts >"$log" 2>&1 &
target=$!
trap 'kill -TERM $target 2>/dev/null; wait $target 2>/dev/null || true; rm -f "$log" "${doc:-}"' EXIT
for _ in $(seq 1 120); do
  grep -q '^READY ' "$log" && break
  kill -0 $target 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
url=$(sed -n 's/^READY //p' "$log")
[ -n "$url" ] || { echo "[fuzz] the scheduler did not start" >&2; cat "$log" >&2; exit 1; }

doc=$(mktemp --suffix=.json)
curl -fsS -H "Authorization: Bearer $FUZZ_TOKEN" "$url/api/docs" >"$doc"
echo "[fuzz] schemathesis against $url"
timeout --signal=TERM 300 "$venv/bin/st" run "$doc" \
  --url "$url" \
  --header "Authorization: Bearer $FUZZ_TOKEN" \
  --include-path-regex '^/api/(admin|kpis|session|cron|docs)' \
  --exclude-method DELETE \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "${FUZZ_MAX_EXAMPLES:-25}" \
  --no-color
