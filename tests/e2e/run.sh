#!/usr/bin/env bash
# Runs every end-to-end test (tests/e2e/t_*.sh) against the binary in $DOSSIER.
# Each test runs in its own temp folder; the run fails if any test fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export ROOT=$(cd "$here/../.." && pwd)
export DOSSIER=${DOSSIER:-$ROOT/build/dossier}
: "${SOURCE_DATE_EPOCH:=1795478400}"   # 2026-11-24, fixed: outputs are reproducible
export SOURCE_DATE_EPOCH
pass=0; fail=0; failed=()
only=${1:-}
for t in "$here"/t_*.sh; do
  name=$(basename "$t" .sh)
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  work=$(mktemp -d)
  if (cd "$work" && WORK="$work" bash "$t") >"$work.log" 2>&1; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name"; sed 's/^/     | /' "$work.log" | tail -40
  fi
  rm -rf "$work" "$work.log"
done
echo "e2e: $pass passed, $fail failed${failed:+ (${failed[*]})}"
[ "$fail" -eq 0 ]
