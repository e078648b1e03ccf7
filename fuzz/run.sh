#!/usr/bin/env bash
# make fuzz: each target under libFuzzer for FUZZ_SECONDS, from seed corpora made of
# the samples and the test data; a crash, leak or timeout fails the run and leaves its
# input in BUILD/crashes/ (to be fixed, then kept in fuzz/regressions/TARGET/).
#   fuzz/run.sh BUILD SECONDS TARGET...
set -uo pipefail
build=$1 seconds=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/fuzz/seeds.sh" "$build/seeds"
mkdir -p "$build/crashes"
status=0
for t in "$@"; do
  bin="$build/fuzz/fuzz_$t"
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  dict=() dirs=("$corpus" "$build/seeds/$t")
  [ -f "$root/fuzz/$t.dict" ] && dict=(-dict="$root/fuzz/$t.dict")
  [ -d "$root/fuzz/regressions/$t" ] && dirs+=("$root/fuzz/regressions/$t")
  start=$(date +%s)
  # Bounded: a case over 10 s or 2 GB is a finding too.
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" "${dict[@]}" "${dirs[@]}" \
    > "$build/fuzz-$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-$t.log" | grep -o '[0-9]*$' || echo "?")
  if [ $rc -eq 0 ]; then
    echo "fuzz $t : $((($(date +%s) - start))) s, $runs exécutions, rien trouvé"
  else
    echo "fuzz $t : ÉCHEC (code $rc) — voir $build/fuzz-$t.log et $build/crashes/"
    grep -m5 -E "ERROR|SUMMARY|Test unit written" "$build/fuzz-$t.log" | sed 's/^/  /'
    status=1
  fi
done
exit $status
