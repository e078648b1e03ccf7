#!/usr/bin/env bash
# make check: every fuzz target, built without libFuzzer (fuzz/main.c), run over its
# seed corpus and its regression inputs (fuzz/regressions/TARGET/: what fuzzing found,
# fixed, kept). Under SANITIZE=1 they run under ASan + UBSan.
#   fuzz/replay.sh BUILD TARGET...
set -uo pipefail
build=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/fuzz/seeds.sh" "$build/seeds"
status=0
for t in "$@"; do
  dirs=("$build/seeds/$t")
  [ -d "$root/fuzz/regressions/$t" ] && dirs+=("$root/fuzz/regressions/$t")
  if ! "$build/fuzz_$t" "${dirs[@]}" > "$build/replay-$t.log" 2>&1; then
    echo "FAIL fuzz_$t"; tail -20 "$build/replay-$t.log" | sed 's/^/     | /'; status=1
  else
    echo "ok   fuzz_$t ($(tail -1 "$build/replay-$t.log" | grep -o '[0-9]* fichier' || true)s)"
  fi
done
exit $status
